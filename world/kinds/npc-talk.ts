import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName, nameOf } from '../commands/matching.js';
import { originalOf } from '../core/spawned-refs.js';
import { itemDef } from './item.js';
import type { NpcState } from './npc.js';

// A creature asked about something, or handed something. What it answers is its
// builder script's (`ask` and `offer` hooks, docs/WORLD-FILES.md); the engine
// says so when it has no answer, and keeps only what its world file says it
// `accepts`: anything else goes straight back, so nothing is lost in a creature.

type Handler = (s: NpcState, m: Msg, ctx: TurnCtx) => NpcState | void;

const who = (ctx: TurnCtx) => capitalize(nameOf(ctx.self, ctx.world));

function accepts(item: Ref, ctx: TurnCtx): boolean {
  const wanted = itemDef(ctx.self, ctx.world)?.props.accepts;
  return Array.isArray(wanted) && wanted.includes(originalOf(item).replace(/^item\//, '').replace(/\.\d+$/, ''));
}

export const npcTalk: Record<string, Handler> = {
  ask(s, m, ctx) {
    if (s.dead) return ctx.tell(m.player as Ref, `${who(ctx)} is in no state to answer.`);
    if (!ctx.world.hook(ctx.self, 'ask')) ctx.tell(m.player as Ref, `${who(ctx)} has nothing to say about that.`);
  },
  /** give X to it: kept when its world file says it accepts such things (its `offer` hook then answers), else handed back. */
  offer(s, m, ctx) {
    const item = m.item as Ref;
    const giver = m.player as Ref;
    if (s.contents.includes(item)) return;
    const name = nameOf(item, ctx.world);
    if (s.dead || !accepts(item, ctx)) {
      ctx.send(giver, { type: 'receive', item, text: null });
      return ctx.tell(giver, s.dead ? `${who(ctx)} is dead.` : `${who(ctx)} doesn't want ${name}.`);
    }
    ctx.tell(giver, `You give ${name} to ${nameOf(ctx.self, ctx.world)}.`);
    if (m.room) ctx.tellRoom(m.room as Ref, `${displayName(giver)} gives ${name} to ${nameOf(ctx.self, ctx.world)}.`, [giver]);
    return { ...s, contents: [...s.contents, item] };
  },
};

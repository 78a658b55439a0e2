import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName, nameOf } from '../commands/matching.js';
import { emitRoomItems } from '../core/client-data.js';
import type { RoomState } from './room.js';

// What a room does for the creatures in it: tells them what happens (so their
// builder scripts can greet, answer and react), and moves them when they wander.

/** Room events a creature hears about, and the message type its script hooks. */
export const NOTICES: Readonly<Record<string, string>> = { enter: 'greet', say: 'overhear', emote: 'witness', exit: 'farewell' };

/** Tells each creature here about an arrival, a word or an emote. Rooms without
 *  creatures pay one lookup per item for it: nothing is sent. */
export function noticeNpcs(s: RoomState, m: Msg, ctx: TurnCtx): void {
  const type = NOTICES[m.type];
  if (!type) return;
  for (const item of s.contents) {
    if (ctx.world.def(item)?.kind !== 'npc') continue;
    const notice: { type: string; [k: string]: string } = { type, player: m.player as Ref, name: displayName(m.player as Ref), room: ctx.self };
    if (typeof m.text === 'string') notice.text = m.text;
    if (typeof m.to === 'string') notice.to = m.to;
    ctx.send(item, notice);
  }
}

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

export const npcMoves: Record<string, RoomHandler> = {
  /** A creature here wants to wander to `to`: it leaves, and is handed on by the item protocol. */
  release(s, m, ctx) {
    const npc = m.item as Ref;
    if (!s.contents.includes(npc)) return;
    const contents = s.contents.filter((r) => r !== npc);
    ctx.tellRoom(ctx.self, `${capitalize(nameOf(npc, ctx.world))} wanders off.`);
    ctx.send(m.to as Ref, { type: 'arrive', item: npc, from: ctx.self });
    emitRoomItems(contents, ctx, s.fallen as Ref[] | undefined);
    return { ...s, contents };
  },
  /** A respawned creature takes back the loot that still lies here (nobody picked it up). */
  reclaim(s, m, ctx) {
    const npc = m.npc as Ref;
    const back = (m.items as Ref[]).filter((r) => s.contents.includes(r));
    if (back.length === 0) return;
    ctx.tellRoom(ctx.self, `${capitalize(nameOf(npc, ctx.world))} gathers up what it dropped.`);
    for (const item of back) ctx.send(npc, { type: 'restock', item });
    const contents = s.contents.filter((r) => !back.includes(r));
    emitRoomItems(contents, ctx, s.fallen as Ref[] | undefined);
    return { ...s, contents };
  },
  arrive(s, m, ctx) {
    const npc = m.item as Ref;
    if (s.contents.includes(npc)) return;
    const contents = [...s.contents, npc];
    ctx.tellRoom(ctx.self, `${capitalize(nameOf(npc, ctx.world))} wanders in.`);
    ctx.send(npc, { type: 'arrived', room: ctx.self });
    emitRoomItems(contents, ctx, s.fallen as Ref[] | undefined);
    return { ...s, contents };
  },
};

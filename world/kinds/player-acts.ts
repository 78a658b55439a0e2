import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { continueTarget, displayName, findTarget, nameOf, type Target } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { itemDef } from './item.js';
import { withoutItems } from './player-items.js';
import type { PlayerState } from './player.js';

// A player's everyday verbs (issue 23): socials from the world's table, things
// read, eaten, drunk or used, and creatures asked about something. What is in
// the player's hands is answered here; what is in the room, by the room
// (world/kinds/room-acts.ts), which knows who and what is there.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

/** A thing's text for a verb (its world file's `read`, `eat`, `drink`), if it has one. */
export function useText(item: Ref, how: string, ctx: TurnCtx): string | undefined {
  const text = itemDef(item, ctx.world)?.props[how];
  return typeof text === 'string' ? text : undefined;
}

/** read, drink and use of a thing in the player's hands, the room's otherwise. */
function handle(how: 'read' | 'drink' | 'use'): Handler {
  return (s, m, ctx) => {
    const held = findTarget(m.target as Target, s.inventory, ctx.world);
    if (!held.ref) return ctx.send(s.room, { type: 'useThing', player: ctx.self, how, target: continueTarget(m.target as Target, held.matched) });
    useThing(held.ref, how, s.room, ctx);
  };
}

/** What reading, drinking from or using a thing does, wherever it is. */
export function useThing(item: Ref, how: string, room: Ref, ctx: TurnCtx, player: Ref = ctx.self): void {
  const name = nameOf(item, ctx.world);
  if (how === 'use') {
    if (!ctx.world.hook(item, 'use')) return ctx.tell(player, `You can't think how to use ${name}.`);
    return ctx.send(item, { type: 'use', player, name: displayName(player), room });
  }
  const text = useText(item, how, ctx);
  if (!text) return ctx.tell(player, how === 'read' ? `There is nothing written on ${name}.` : `You can't drink from ${name}.`);
  ctx.tell(player, how === 'read' ? text : `You drink from ${name}. ${text}`);
  ctx.tellRoom(room, `${displayName(player)} ${how === 'read' ? 'reads' : 'drinks from'} ${name}.`, [player]);
}

export const actCommands: Record<string, Handler> = {
  social(s, m, ctx) {
    const def = ctx.world.socials?.[m.social as string];
    if (!def) return ctx.tell(ctx.self, styled('error', `You don't know how to ${m.social as string}.`));
    if (m.target && !def.you_to) return ctx.tell(ctx.self, styled('error', `You can't ${m.social as string} at anyone; just "${m.social as string}".`));
    ctx.send(s.room, m.target ? { type: 'social', player: ctx.self, social: m.social, target: m.target } : { type: 'social', player: ctx.self, social: m.social });
  },
  socials(_s, _m, ctx) {
    const names = Object.keys(ctx.world.socials ?? {}).sort();
    if (!names.length) return ctx.tell(ctx.self, 'This world has no socials.');
    ctx.tell(ctx.self, `Socials: ${names.join(', ')}.\nMost can be aimed at someone here: ${names[0]} bob.`);
  },
  read: handle('read'),
  drink: handle('drink'),
  use: handle('use'),
  /** Eaten, it goes back where it started (the world file's room): it exists once, and grows back there. */
  eat(s, m, ctx) {
    const item = findTarget(m.target as Target, s.inventory, ctx.world).ref;
    if (!item) return ctx.tell(ctx.self, styled('error', "You aren't carrying that."));
    const text = useText(item, 'eat', ctx);
    const home = itemDef(item, ctx.world)?.props.home;
    if (!text || typeof home !== 'string') return ctx.tell(ctx.self, `You can't eat ${nameOf(item, ctx.world)}.`);
    ctx.tell(ctx.self, `You eat ${nameOf(item, ctx.world)}. ${text}`);
    ctx.tellRoom(s.room, `${displayName(ctx.self)} eats ${nameOf(item, ctx.world)}.`, [ctx.self]);
    ctx.send(home, { type: 'regrow', player: ctx.self, item });
    return withoutItems(s, [item]);
  },
  ask(s, m, ctx) {
    ctx.send(s.room, { type: 'ask', player: ctx.self, target: m.target, topic: m.topic });
  },
};

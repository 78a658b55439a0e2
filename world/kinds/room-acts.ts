import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName, findTarget, nameOf, targetPhrase, type Target } from '../commands/matching.js';
import { refKind } from '../core/types.js';
import { styled } from '../core/text-style.js';
import { channelText } from '../core/client-data.js';
import { socialLine } from '../commands/socials.js';
import { findInRoom } from './room-view.js';
import { noticeNpcs } from './room-npcs.js';
import { useThing } from './player-acts.js';
import type { RoomState } from './room.js';

// What a room does for a player's everyday verbs aimed at who or what is here:
// a social (the doer, the one it is aimed at and the onlookers each get their
// line; the creatures here witness it as an emote, so their scripts can answer a
// bow), reading, drinking from or using a thing lying here, and asking a creature.

type RoomHandler = (s: RoomState, m: Msg, ctx: TurnCtx) => RoomState | void;

function notHere(player: Ref, target: Target, ctx: TurnCtx): void {
  ctx.tell(player, styled('error', `You don't see "${targetPhrase(target)}" here.`));
}

export const roomActs: Record<string, RoomHandler> = {
  social(s, m, ctx) {
    const player = m.player as Ref;
    const def = ctx.world.socials?.[m.social as string];
    if (!def) return;
    const doer = displayName(player);
    const aimed = m.target ? findInRoom(s, m.target as Target, ctx.world, true) : undefined;
    if (m.target && !aimed) return notHere(player, m.target as Target, ctx);
    let seen: string;
    if (aimed && aimed !== player && def.you_to && def.them && def.room_to) {
      const name = refKind(aimed) === 'player' ? displayName(aimed) : nameOf(aimed, ctx.world);
      seen = socialLine(def.room_to, doer, name);
      ctx.tell(player, styled('emote', socialLine(def.you_to, doer, name)));
      if (refKind(aimed) === 'player') ctx.tell(aimed, styled('emote', socialLine(def.them, doer, name)), player);
      ctx.tellRoom(ctx.self, styled('emote', seen), [player, aimed], player);
    } else {
      seen = socialLine(def.room, doer);
      ctx.tell(player, styled('emote', socialLine(def.you, doer)));
      ctx.tellRoom(ctx.self, styled('emote', seen), [player], player);
    }
    ctx.emit(ctx.self, 'Comm.Channel.Text', channelText('emote', player, seen));
    // The creatures here see it as they see an emote: "Bob bows to old Tamsin." reaches her script.
    noticeNpcs(s, { id: m.id, type: 'emote', player, text: seen.slice(doer.length + 1) }, ctx);
  },
  /** A player's action aimed at another player here (`follow bob`): players only, never things. */
  toPlayer(s, m, ctx) {
    const player = m.player as Ref;
    const found = findTarget(m.target as Target, s.occupants, ctx.world).ref;
    if (!found) return ctx.tell(player, styled('error', `No one called "${targetPhrase(m.target as Target)}" is here.`));
    ctx.send(found, { ...(m.action as { type: string }), player, room: ctx.self });
  },
  useThing(s, m, ctx) {
    const player = m.player as Ref;
    const item = findInRoom(s, m.target as Target, ctx.world, false);
    if (!item) return notHere(player, m.target as Target, ctx);
    useThing(item, m.how as string, ctx.self, ctx, player);
  },
  ask(s, m, ctx) {
    const player = m.player as Ref;
    const who = findInRoom(s, m.target as Target, ctx.world, true);
    if (!who) return notHere(player, m.target as Target, ctx);
    if (refKind(who) === 'player') return ctx.tell(player, `${displayName(who)} is right here: just say it.`);
    if (ctx.world.def(who)?.kind !== 'npc') return ctx.tell(player, `${capitalize(nameOf(who, ctx.world))} has nothing to say.`);
    ctx.tellRoom(ctx.self, `${displayName(player)} asks ${nameOf(who, ctx.world)} about ${m.topic as string}.`, [player]);
    ctx.send(who, { type: 'ask', player, name: displayName(player), room: ctx.self, topic: m.topic });
  },
};

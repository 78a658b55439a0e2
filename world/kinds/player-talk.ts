import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { refName } from '../core/types.js';
import { IGNORABLE_NAME, IGNORE_LIMIT } from '../core/ignore-rule.js';
import { displayName } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { channelText } from '../core/client-data.js';
import { CHAT } from './channel.js';
import { areaOf } from '../core/area.js';
import type { PlayerState } from './player.js';

// A player's words beyond the room: tell and reply (to one player anywhere),
// whisper (to one player here, the room sees that it happened), shout (the
// area), chat (the global channel) and its history. Each is one message to the object that
// knows the audience: the other player, the room, the channel.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const refOf = (name: string): Ref => `player/${name}`;

function tellTo(to: Ref, text: string, ctx: TurnCtx): void {
  if (to === ctx.self) return ctx.tell(ctx.self, 'You mutter to yourself.');
  ctx.send(to, { type: 'tell', player: ctx.self, text });
}

export const talkCommands: Record<string, Handler> = {
  tell(_s, m, ctx) {
    tellTo(refOf(m.to as string), m.text as string, ctx);
  },
  reply(s, m, ctx) {
    if (!s.replyTo) return ctx.tell(ctx.self, styled('error', 'No one has sent you a tell to reply to.'));
    tellTo(s.replyTo, m.text as string, ctx);
  },
  whisper(s, m, ctx) {
    const to = refOf(m.to as string);
    if (to === ctx.self) return ctx.tell(ctx.self, 'You whisper to yourself.');
    ctx.send(s.room, { type: 'whisper', player: ctx.self, to, text: m.text });
  },
  /** afk [message]: away from the keyboard; a tell is still heard, and its sender told so. Whatever the player
   *  types next brings them back (the session sends `back`: portal/session-commands.ts). */
  afk(s, m, ctx) {
    const text = typeof m.text === 'string' && m.text.trim() ? m.text.trim() : 'away from the keyboard';
    ctx.tell(ctx.self, `You are away: ${text}. Whatever you type next brings you back.`);
    if (s.room && s.away === undefined) ctx.tellRoom(s.room, `${displayName(ctx.self)} steps away from the keyboard.`, [ctx.self]);
    return { ...s, away: text };
  },
  back(s, _m, ctx) {
    if (s.away === undefined) return;
    return backAtTheKeys(s, ctx);
  },
  /** The session's list of whom this player ignores (`ignore`), kept here too: tells and whispers are refused. */
  ignoring(s, m) {
    const names = Array.isArray(m.names) ? m.names.filter((n): n is string => typeof n === 'string' && IGNORABLE_NAME.test(n)).slice(0, IGNORE_LIMIT) : [];
    if (names.length === 0 && !s.ignoring) return;
    return { ...s, ignoring: names };
  },
  /** Everyone in this area hears it (world/core/area.ts), as one effect each gateway fans out. */
  shout(s, m, ctx) {
    const line = `${displayName(ctx.self)} shouts, "${m.text as string}"`;
    ctx.tell(ctx.self, styled('say', `You shout, "${m.text as string}"`));
    ctx.tellArea(areaOf(s.room, ctx.world), styled('say', line), channelText('shout', ctx.self, line), [ctx.self]);
  },
  chat(_s, m, ctx) {
    ctx.send(CHAT, { type: 'chat', player: ctx.self, text: m.text });
  },
  history(_s, m, ctx) {
    ctx.send(`channel/${m.channel as string}`, { type: 'history', player: ctx.self });
  },
};

const linkLostLine = (name: string) => `${name} has lost the link for now: your words would not reach them.`;

/** Back from `afk`: the player is told, and is no longer away. */
export function backAtTheKeys(s: PlayerState, ctx: TurnCtx): PlayerState {
  ctx.tell(ctx.self, 'You are back.');
  const { away: _was, ...here } = s;
  return here as PlayerState;
}

/** Does this player ignore `from` (their tells, whispers and letters are refused)? */
export const ignores = (s: PlayerState, from: Ref): boolean => Array.isArray(s.ignoring) && s.ignoring.includes(refName(from));

/** A whisper from someone in the same room (`m.room`, which checked that both are there): refused when this
 *  player ignores them, so the whisperer is told, not left thinking it was heard. */
export function hearWhisper(s: PlayerState, m: Msg, ctx: TurnCtx): void {
  const from = m.player as Ref;
  const name = displayName(ctx.self);
  if (ignores(s, from)) return ctx.tell(from, styled('error', `${name} is ignoring you.`));
  if (s.linkless === true) return ctx.tell(from, styled('error', linkLostLine(name)));
  ctx.tell(from, styled('say', `You whisper to ${name}, "${m.text as string}"`));
  const heard = `${displayName(from)} whispers to you, "${m.text as string}"`;
  ctx.tell(ctx.self, styled('say', heard), from);
  ctx.emit(ctx.self, 'Comm.Channel.Text', channelText('whisper', from, heard));
  ctx.tellRoom(m.room as Ref, `${displayName(from)} whispers something to ${name}.`, [from, ctx.self], from);
}

/** A tell arriving: heard when the player is online, remembered for `reply`. */
export function hearTell(s: PlayerState, m: Msg, ctx: TurnCtx): PlayerState | void {
  const from = m.player as Ref;
  const name = displayName(ctx.self);
  // A player object that never logged in has no room: there is no such character.
  if (!s.room) return ctx.tell(from, styled('error', `There is no one called ${name}.`));
  if (!s.online) return ctx.tell(from, styled('error', `${name} is not online.`));
  // Refused, not dropped: the sender learns it, and `reply` never points at someone ignored.
  if (ignores(s, from)) return ctx.tell(from, styled('error', `${name} is ignoring you.`));
  // Words to a lost link would never be read: the sender learns it, as Diku's "linkless at the moment".
  if (s.linkless === true) return ctx.tell(from, styled('error', linkLostLine(name)));
  const heard = `${displayName(from)} tells you, "${m.text as string}"`;
  const said = `You tell ${name}, "${m.text as string}"`;
  ctx.tell(ctx.self, styled('channel', heard), from);
  ctx.emit(ctx.self, 'Comm.Channel.Text', channelText('tell', from, heard));
  ctx.tell(from, styled('channel', said));
  ctx.emit(from, 'Comm.Channel.Text', channelText('tell', from, said));
  if (typeof s.away === 'string') ctx.tell(from, `${name} is away (${s.away}), and will see it on return.`);
  if (s.replyTo === from) return;
  return { ...s, replyTo: from };
}

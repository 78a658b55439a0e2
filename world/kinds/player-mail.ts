import type { Msg, Ref, TurnCtx } from '../core/types.js';
import { refName } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { isGuestName } from '../core/guest-name.js';
import { mailboxOf } from './mailbox.js';
import { ignores } from './player-talk.js';
import type { PlayerState } from './player.js';

// Letters (`mail`), the player's side: writing one, which the reader's player object lets through or refuses (no
// such character, a guest, ignored), and reading one's own, which the mailbox answers (world/kinds/mailbox.ts). A
// letter waits for a reader who is not online, where a tell is refused.

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const NO_GUEST_MAIL = 'Guests keep no mailbox: create a character to send and receive letters.';

export const mailCommands: Record<string, Handler> = {
  /** mail | mail <n> | mail delete <n|all> | mail <player> <words> (parsed in world/commands/mail-commands.ts) */
  mail(_s, m, ctx) {
    if (isGuestName(refName(ctx.self))) return ctx.tell(ctx.self, styled('error', NO_GUEST_MAIL));
    const mailbox = mailboxOf(ctx.self);
    if (typeof m.to === 'string') {
      const to: Ref = `player/${m.to}`;
      if (to === ctx.self) return ctx.tell(ctx.self, 'You scribble a note to yourself and tuck it away.');
      return ctx.send(to, { type: 'letter', player: ctx.self, text: m.text });
    }
    if (typeof m.read === 'number') return ctx.send(mailbox, { type: 'readLetter', n: m.read });
    if (m.delete !== undefined) return ctx.send(mailbox, { type: 'burnLetter', n: m.delete });
    ctx.send(mailbox, { type: 'letters' });
  },
};

export const mailHandlers: Record<string, Handler> = {
  /** A letter for this player: let through to their mailbox, or refused and its writer told why. */
  letter(s, m, ctx) {
    const from = m.player as Ref;
    const name = displayName(ctx.self);
    // A player object that never logged in has no room: there is no such character.
    if (!s.room) return ctx.tell(from, styled('error', `There is no one called ${name}.`));
    if (isGuestName(refName(ctx.self))) return ctx.tell(from, styled('error', `${name} is a guest, and guests keep no mailbox.`));
    if (ignores(s, from)) return ctx.tell(from, styled('error', `${name} is ignoring you.`));
    ctx.send(mailboxOf(ctx.self), { type: 'post', player: from, text: m.text });
  },
  /** The mailbox's count of unread letters, kept here for the notice at login. */
  unread(s, m) {
    const count = typeof m.count === 'number' && m.count > 0 ? m.count : undefined;
    if (count === s.unread) return;
    const { unread: _was, ...rest } = s;
    return (count === undefined ? rest : { ...rest, unread: count }) as PlayerState;
  },
};

/** Told at login: letters came while the player was away. */
export function unreadNotice(s: PlayerState, ctx: TurnCtx): void {
  const n = typeof s.unread === 'number' ? s.unread : 0;
  if (n > 0) ctx.tell(ctx.self, styled('channel', `You have ${n === 1 ? 'an unread letter' : `${n} unread letters`}: "mail" lists your letters.`));
}

import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { refName } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import { styled } from '../core/text-style.js';

// A player's letters (`mail`), an object of its own beside the player (`mail/ann` for `player/ann`): a letter
// reaches its reader whether or not they are online, and the player's record, written on every move, does not carry
// them. The player's object sees to who may write (world/kinds/player-mail.ts); the mailbox keeps the letters, answers
// its owner's reading, and tells the player object how many are unread, for the notice at login.

/** Letters a mailbox keeps: a full one refuses the next, and its sender is told. */
export const MAILBOX_LIMIT = 30;
/** The longest letter. */
export const LETTER_LIMIT = 600;
/** How much of a letter its line in the list shows. */
const GLIMPSE = 40;

interface Letter {
  from: Ref;
  at: number;
  text: string;
  read: boolean;
  [key: string]: Json;
}

export interface MailboxState {
  letters: Letter[];
  [key: string]: Json | undefined;
}

type Handler = (s: MailboxState, m: Msg, ctx: TurnCtx) => MailboxState | void;

export const mailboxOf = (player: Ref): Ref => `mail/${refName(player)}`;
const ownerOf = (mailbox: Ref): Ref => `player/${refName(mailbox)}`;

const handlers: Record<string, Handler> = {
  /** A letter the owner's player object let through (`m.player` wrote it). */
  post(s, m, ctx) {
    const from = m.player as Ref;
    const owner = ownerOf(ctx.self);
    const reader = displayName(owner);
    if (s.letters.length >= MAILBOX_LIMIT) {
      return ctx.tell(from, styled('error', `${reader}'s mailbox is full (${MAILBOX_LIMIT} letters): yours was not delivered.`));
    }
    const letters = [...s.letters, { from, at: ctx.now(), text: m.text as string, read: false }];
    ctx.tell(from, `Your letter is on its way to ${reader}.`);
    ctx.tell(owner, styled('channel', `A letter from ${displayName(from)} has come: "mail ${letters.length}" reads it.`));
    return unreadChanged(s, { ...s, letters }, ctx);
  },
  /** `mail`: the list, newest last, numbered as `mail <n>` reads them. */
  letters(s, _m, ctx) {
    const owner = ownerOf(ctx.self);
    if (!s.letters.length) return ctx.tell(owner, 'You have no letters. "mail <player> <words>" sends one.');
    const now = ctx.now();
    const lines = s.letters.map((l, i) => `  ${i + 1}. ${l.read ? ' ' : '*'} from ${displayName(l.from)}, ${since(now, l.at)}: ${glimpse(l.text)}`);
    const unread = unreadOf(s);
    const head = `Your letters (${s.letters.length} of ${MAILBOX_LIMIT}${unread ? `, ${unread} unread, marked *` : ''}):`;
    ctx.tell(owner, `${head}\n${lines.join('\n')}\n"mail <n>" reads one, "mail delete <n>" throws it away.`);
  },
  /** `mail <n>`: one letter whole, and it is read. */
  readLetter(s, m, ctx) {
    const owner = ownerOf(ctx.self);
    const i = (m.n as number) - 1;
    const letter = s.letters[i];
    if (!letter) return ctx.tell(owner, styled('error', noSuchLetter(m.n as number, s)));
    ctx.tell(owner, `Letter ${i + 1}, from ${displayName(letter.from)}, ${since(ctx.now(), letter.at)}:\n${letter.text}`);
    if (letter.read) return;
    const letters = s.letters.map((l, k) => (k === i ? { ...l, read: true } : l));
    return unreadChanged(s, { ...s, letters }, ctx);
  },
  /** `mail delete <n>` or `mail delete all`. */
  burnLetter(s, m, ctx) {
    const owner = ownerOf(ctx.self);
    if (m.n === 'all') {
      if (!s.letters.length) return ctx.tell(owner, 'You have no letters.');
      ctx.tell(owner, s.letters.length === 1 ? 'You throw away your letter.' : `You throw away all ${s.letters.length} of your letters.`);
      return unreadChanged(s, { ...s, letters: [] }, ctx);
    }
    const i = (m.n as number) - 1;
    const letter = s.letters[i];
    if (!letter) return ctx.tell(owner, styled('error', noSuchLetter(m.n as number, s)));
    ctx.tell(owner, `You throw away the letter from ${displayName(letter.from)}.${s.letters.length > i + 1 ? ' The ones after it move up a number.' : ''}`);
    return unreadChanged(s, { ...s, letters: s.letters.filter((_, k) => k !== i) }, ctx);
  },
};

const unreadOf = (s: MailboxState): number => s.letters.reduce((n, l) => (l.read ? n : n + 1), 0);

/** The player object keeps the count of unread letters, for the notice at login: told whenever it changes. */
function unreadChanged(before: MailboxState, after: MailboxState, ctx: TurnCtx): MailboxState {
  const count = unreadOf(after);
  if (count !== unreadOf(before)) ctx.send(ownerOf(ctx.self), { type: 'unread', count });
  return after;
}

function noSuchLetter(n: number, s: MailboxState): string {
  if (!s.letters.length) return 'You have no letters.';
  return `There is no letter ${n}: you have ${s.letters.length === 1 ? 'one, "mail 1"' : `${s.letters.length}, "mail 1" to "mail ${s.letters.length}"`}.`;
}

function glimpse(text: string): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length > GLIMPSE ? `${line.slice(0, GLIMPSE - 3)}...` : line;
}

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago". */
function since(now: number, at: number): string {
  const minutes = Math.floor(Math.max(0, now - at) / 60_000);
  if (minutes < 1) return 'just now';
  const [n, unit] = minutes < 60 ? [minutes, 'minute'] : minutes < 48 * 60 ? [Math.floor(minutes / 60), 'hour'] : [Math.floor(minutes / 1440), 'day'];
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

export const mailboxKind: Kind<MailboxState> = {
  name: 'mailbox',
  init: () => ({ letters: [] }),
  handle(state, msg, ctx) {
    const handler = handlers[msg.type];
    return handler ? handler(state, msg, ctx) : undefined;
  },
  here: (s) => ({ letters: s.letters.length }),
  handles: Object.keys(handlers),
};

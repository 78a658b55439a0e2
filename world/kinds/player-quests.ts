import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { nameOf } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import type { PlayerState } from './player.js';

// A player's journal of quests (`quests`). A builder's script gives a quest, moves it on and marks it done with
// `ctx.quest(player, title, text, done)`, for a player within its reach (as `ctx.tell`); the engine sends the player a
// `journal` message (world/core/script-hook.ts), and the player's turn keeps the entry and says what changed. A quest
// is named by its title and the object whose script keeps it, so two givers' quests of one name stay apart.

/** Quests a journal keeps: past it, the oldest done one makes room, else the oldest of all. */
export const JOURNAL_LIMIT = 20;

interface Quest {
  title: string;
  /** The object whose script keeps the quest: `item/tamsin`. */
  by: Ref;
  text: string;
  done: boolean;
  [key: string]: Json;
}

type Handler = (s: PlayerState, m: Msg, ctx: TurnCtx) => PlayerState | void;

const questsOf = (s: PlayerState): Quest[] => (Array.isArray(s.quests) ? (s.quests as Quest[]) : []);

export const questCommands: Record<string, Handler> = {
  quests(s, _m, ctx) {
    const quests = questsOf(s);
    if (!quests.length) return ctx.tell(ctx.self, 'Your journal is empty. The locals have work for those who ask: "ask <someone> about <topic>".');
    const open = quests.filter((q) => !q.done);
    const done = quests.filter((q) => q.done);
    const line = (q: Quest) => `  ${q.title} (from ${nameOf(q.by, ctx.world)})${q.text ? `: ${q.text}` : ''}`;
    const parts = [open.length ? `Your quests:\n${open.map(line).join('\n')}` : 'You have no quest under way.'];
    if (done.length) parts.push(`Done:\n${done.map((q) => `  ${q.title} (from ${nameOf(q.by, ctx.world)})`).join('\n')}`);
    ctx.tell(ctx.self, parts.join('\n'));
  },
};

export const questHandlers: Record<string, Handler> = {
  /** A script's `ctx.quest` for this player: the entry is added or changed, and the player told. */
  journal(s, m, ctx) {
    if (typeof m.title !== 'string' || typeof m.text !== 'string' || typeof m.by !== 'string') return;
    const entry: Quest = { title: m.title, by: m.by, text: m.text, done: m.done === true };
    const quests = questsOf(s);
    const at = quests.findIndex((q) => q.title === entry.title && q.by === entry.by);
    const was = at >= 0 ? quests[at] : undefined;
    if (was && was.text === entry.text && was.done === entry.done) return;
    ctx.tell(ctx.self, styled('channel', entry.done ? `[Quest complete: ${entry.title}.]` : `[Quest: ${entry.title}.${entry.text ? ` ${entry.text}` : ''}]`));
    const next = was ? quests.map((q, i) => (i === at ? entry : q)) : [...roomFor(quests), entry];
    return { ...s, quests: next };
  },
};

/** The journal with room for one more: the oldest done quest goes first, else the oldest. */
function roomFor(quests: Quest[]): Quest[] {
  if (quests.length < JOURNAL_LIMIT) return quests;
  const done = quests.findIndex((q) => q.done);
  return quests.filter((_, i) => i !== (done >= 0 ? done : 0));
}

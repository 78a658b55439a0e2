// `ignore`: the players whose words a player no longer gets (their says,
// emotes, socials, whispers, tells, shouts, chat and group talk), kept with the
// player's settings (`settings/<name>`, `ignore`: the names, comma-separated) so
// the list follows them to any client, gateway and restart. The session drops an
// ignored speaker's lines as they arrive (portal/session-registry.ts, by the
// line's `from` or its channel data's talker); a tell or a whisper is refused in
// the world instead, so its sender is told and `reply` never points at them
// (world/kinds/player-talk.ts, `ignoring`, kept in step by the session).

import { IGNORABLE_NAME as NAME, IGNORE_LIMIT } from '../../world/core/ignore-rule.js';

export const IGNORE_USAGE = 'ignore | ignore <player> | unignore <player>';

/** The names as the settings keep them: comma-separated, lower case, only names that could be a player's. */
export function ignoredNames(kept: string | undefined): string[] {
  if (!kept) return [];
  return [...new Set(kept.split(',').filter((n) => NAME.test(n)))].slice(0, IGNORE_LIMIT);
}

export function keptIgnores(names: readonly string[]): string {
  return names.join(',');
}

type Change = { names: string[]; text: string } | { text: string } | { error: string };

/** `ignore [name]` on the current list: the new list and what to say, or only what to say. */
export function ignoreChange(rest: string, current: readonly string[], self: string, exists: boolean): Change {
  const name = rest.trim().toLowerCase();
  if (!name) return { text: listIgnored(current) };
  if (!NAME.test(name)) return { error: `Usage: ${IGNORE_USAGE}` };
  if (name === self) return { error: 'You cannot ignore yourself.' };
  if (current.includes(name)) return { text: `You already ignore ${shown(name)}.` };
  if (!exists) return { error: `There is no one called ${shown(name)}.` };
  if (current.length >= IGNORE_LIMIT) return { error: `You ignore ${IGNORE_LIMIT} players, the most you can; unignore one first.` };
  return { names: [...current, name], text: `You ignore ${shown(name)}: you no longer get their says, emotes, tells, whispers, shouts or chat. ("unignore ${name}" to hear them again.)` };
}

/** `unignore name` on the current list. */
export function unignoreChange(rest: string, current: readonly string[]): Change {
  const name = rest.trim().toLowerCase();
  if (!name) return { error: `Unignore whom? Usage: ${IGNORE_USAGE}` };
  if (!current.includes(name)) return { error: `You do not ignore ${shown(name)}.` };
  return { names: current.filter((n) => n !== name), text: `You hear ${shown(name)} again.` };
}

function listIgnored(current: readonly string[]): string {
  if (!current.length) return `You ignore no one. ("ignore <player>" stops their words reaching you, up to ${IGNORE_LIMIT} players.)`;
  return `You ignore (${current.length} of ${IGNORE_LIMIT}): ${current.map(shown).join(', ')}.`;
}

const shown = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

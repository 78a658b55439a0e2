import type { StateStore } from '../../store/state-store.js';
import { PlayerRecord } from './player-record.js';

// `alias`: a player's own shorthands, kept in the store (`aliases/<name>`) so
// they follow the player to any client and across restarts. An alias replaces
// the first word of a line once; its expansion is never expanded again, so
// aliases cannot loop.

/** How long an alias name and its expansion may be. */
export { ALIAS_LIMIT } from '../../world/commands/alias-limit.js';
import { ALIAS_LIMIT } from '../../world/commands/alias-limit.js';
const NAME = /^[a-z][a-z0-9]{0,15}$/;
const EXPANSION_LIMIT = 200;
/** Words an alias may not take: without them a player could lock themselves out of fixing it. */
const PROTECTED = new Set(['alias', 'unalias', 'quit', 'help', 'password']);

export type Aliases = Record<string, string>;

export const ALIAS_USAGE = 'alias | alias <word> [=] <command> | unalias <word>';

/** `alias ...` applied to the current aliases: the new set and what to say, or a one-line error. */
export function parseAlias(rest: string, current: Aliases): { aliases?: Aliases; text: string } | { error: string } {
  const trimmed = rest.trim();
  if (!trimmed) return { text: listAliases(current) };
  // `alias gs = get sword`, or as Diku and Circle players type it, `alias gs get sword`.
  const m = /^(\S+)\s*=\s*(.*)$/.exec(trimmed) ?? /^(\S+)\s+(.+)$/.exec(trimmed);
  if (!m) {
    const name = trimmed.toLowerCase();
    return current[name] ? { text: `${name} = ${current[name]}` } : { error: `You have no alias "${name}". Usage: ${ALIAS_USAGE}` };
  }
  const name = m[1].toLowerCase();
  const expansion = m[2].trim();
  if (!NAME.test(name)) return { error: 'An alias is one word of up to 16 letters and digits, starting with a letter.' };
  if (PROTECTED.has(name)) return { error: `"${name}" cannot be an alias.` };
  if (!expansion) return { error: `Alias ${name} to what? Usage: ${ALIAS_USAGE}` };
  if (expansion.length > EXPANSION_LIMIT) return { error: `An alias expands to at most ${EXPANSION_LIMIT} characters.` };
  if (!(name in current) && Object.keys(current).length >= ALIAS_LIMIT) return { error: `You have ${ALIAS_LIMIT} aliases, the most you can keep; unalias one first.` };
  return { aliases: { ...current, [name]: expansion }, text: `Alias set: ${name} = ${expansion}` };
}

export function parseUnalias(rest: string, current: Aliases): { aliases: Aliases; text: string } | { error: string } {
  const name = rest.trim().toLowerCase();
  if (!name) return { error: 'Unalias what? (unalias <word>)' };
  if (!(name in current)) return { error: `You have no alias "${name}".` };
  const { [name]: _gone, ...rest2 } = current;
  return { aliases: rest2, text: `Alias removed: ${name}` };
}

function listAliases(current: Aliases): string {
  const names = Object.keys(current).sort();
  if (!names.length) return `You have no aliases. Make one with: alias <word> = <command> (up to ${ALIAS_LIMIT}).`;
  return `Your aliases (${names.length} of ${ALIAS_LIMIT}):\n${names.map((n) => `  ${n} = ${current[n]}`).join('\n')}`;
}

/** The line with its first word replaced by the alias, if it is one; the rest of the line follows. */
export function expandAlias(line: string, aliases: Aliases): string {
  const trimmed = line.trimStart();
  const space = trimmed.search(/\s/);
  const word = (space < 0 ? trimmed : trimmed.slice(0, space)).toLowerCase();
  const expansion = Object.hasOwn(aliases, word) ? aliases[word] : undefined;
  if (expansion === undefined) return line;
  return space < 0 ? expansion : `${expansion} ${trimmed.slice(space + 1)}`;
}

/** A player's aliases in the store (`aliases/<name>`). */
export class PlayerAliasStore extends PlayerRecord<Aliases> {
  constructor(store: StateStore) {
    super(store, 'aliases', (found) => {
      const out: Aliases = {};
      // Only well-formed entries survive: a hand-edited record cannot break input.
      for (const [k, v] of Object.entries(found).slice(0, ALIAS_LIMIT)) {
        if (NAME.test(k) && !PROTECTED.has(k) && typeof v === 'string' && v.length <= EXPANSION_LIMIT) out[k] = v;
      }
      return out;
    });
  }
}

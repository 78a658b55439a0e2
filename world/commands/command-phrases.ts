import type { Json } from '../core/types.js';
import { parseTarget, type Target } from './matching.js';

// The phrases commands take beyond one target: "X from Y", "X to Y", "Y with X",
// "all", a player's name and words. Each parser returns the command for the
// player object, or the question to ask back when the phrase does not parse.

export type ParsedCommand = { verb: string; [field: string]: Json };
export type PhraseParser = (rest: string) => ParsedCommand | string;

export const needTarget = (verb: string, question: string): PhraseParser => (rest) => {
  const target = parseTarget(rest);
  return target ? { verb, target } : question;
};

/** "X from Y", "X in Y": splits on the last separator word. */
export function splitOn(rest: string, words: string[]): [string, string] | undefined {
  const tokens = rest.trim().split(/\s+/);
  for (let i = tokens.length - 2; i >= 1; i--) {
    if (words.includes(tokens[i].toLowerCase())) return [tokens.slice(0, i).join(' '), tokens.slice(i + 1).join(' ')];
  }
  return undefined;
}

/** "all": every thing; "all.sword" (or "all sword"), every thing a sword names, as Diku players type it.
 *  Undefined when the phrase is not an "all". No thing is called "all" (world/core/reserved-names.ts). */
function allPhrase(phrase: string): { all: true; of?: Target } | undefined {
  const m = /^all(?:[.\s]\s*(.+))?$/i.exec(phrase.trim());
  if (!m) return undefined;
  const of = m[1] ? parseTarget(m[1]) : undefined;
  return of ? { all: true, of: { words: of.words, n: 1 } } : { all: true };
}

/** take X | take all | take all.X | take X from Y | take all from Y | take all.X from Y */
export function parseTake(rest: string): ParsedCommand | string {
  const parts = splitOn(rest.replace(/\bout of\b/i, 'from'), ['from']);
  const what = parts ? parts[0] : rest;
  const from = parts ? parseTarget(parts[1]) : undefined;
  if (parts && !from) return 'Take what from where?';
  const base: ParsedCommand = from ? { verb: 'take', from } : { verb: 'take' };
  const all = allPhrase(what);
  if (all) return { ...base, ...all };
  const target = parseTarget(what);
  return target ? { ...base, target } : parts ? 'Take what from where?' : 'Take what?';
}

/** drop X | drop all | drop all.X */
export function parseDrop(rest: string): ParsedCommand | string {
  const all = allPhrase(rest);
  if (all) return { verb: 'drop', ...all };
  return needTarget('drop', 'Drop what?')(rest);
}

/** put X in Y | put all in Y | put all.X in Y */
export function parsePut(rest: string): ParsedCommand | string {
  const parts = splitOn(rest, ['in', 'into', 'inside']);
  const into = parts && parseTarget(parts[1]);
  const all = parts && allPhrase(parts[0]);
  if (into && all) return { verb: 'put', ...all, into };
  const target = parts && parseTarget(parts[0]);
  return target && into ? { verb: 'put', target, into } : 'Put what in what? (put <thing> in <container>)';
}

/** give X to Y | give all to Y | give all.X to Y */
export function parseGive(rest: string): ParsedCommand | string {
  const parts = splitOn(rest, ['to']);
  const to = parts && parseTarget(parts[1]);
  const all = parts && allPhrase(parts[0]);
  if (to && all) return { verb: 'give', ...all, to };
  const target = parts && parseTarget(parts[0]);
  return target && to ? { verb: 'give', target, to } : 'Give what to whom?';
}

/** look | look X | look at X | look in X | look me */
export function parseLook(rest: string): ParsedCommand | string {
  const trimmed = rest.trim();
  if (!trimmed) return { verb: 'look' };
  const inside = /^(in|inside|into)\s+(.+)$/i.exec(trimmed);
  // "look at the moon" is "look moon"; "look at" alone asks what.
  const at = /^at(\s+(.*))?$/i.exec(trimmed);
  const target = parseTarget(inside ? inside[2] : at ? at[2] ?? '' : trimmed);
  if (!target) return inside ? 'Look in what?' : 'Look at what?';
  return inside ? { verb: 'look', target, inside: true } : { verb: 'look', target };
}

/** lock Y | lock Y with X (and unlock): the key named, or any key carried. */
export const parseWithKey = (verb: string, question: string): PhraseParser => (rest) => {
  if (/\swith\s*$/i.test(rest)) return question;
  const parts = splitOn(rest, ['with']);
  if (!parts) return needTarget(verb, question)(rest);
  const target = parseTarget(parts[0]);
  const key = parseTarget(parts[1]);
  return target && key ? { verb, target, key } : `${question.replace('?', '')} with what?`;
};

/** words after the command: say, emote, shout, chat, reply */
export const text = (verb: string, question: string): PhraseParser => (rest) => (rest.trim() ? { verb, text: rest.trim() } : question);

/** tell <player> <words>, whisper <player> <words> */
export const toPlayer = (verb: string, question: string): PhraseParser => (rest) => {
  const m = /^\s*(\S+)\s+(.+)$/.exec(rest);
  if (!m) return question;
  if (!/^[a-z]{3,16}$/i.test(m[1])) return `There is no one called "${m[1]}".`;
  return { verb, to: m[1].toLowerCase(), text: m[2].trim() };
};

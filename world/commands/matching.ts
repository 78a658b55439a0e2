import type { Json, Ref, WorldView } from '../core/types.js';
import { refKind, refName } from '../core/types.js';

/** "2.sword" or "steel sword": the nth thing whose keywords match every word. */
export interface Target {
  words: string[];
  n: number;
  [key: string]: Json;
}

export function parseTarget(phrase: string): Target | undefined {
  const text = phrase.trim().toLowerCase();
  if (!text) return undefined;
  const dotted = /^(\d+)\.(.+)$/.exec(text);
  const n = dotted ? Number(dotted[1]) : 1;
  const rest = dotted ? dotted[2] : text;
  const words = rest.split(/\s+/).filter((w) => w && !ARTICLES.has(w));
  if (words.length === 0 || n < 1 || n > 1000) return undefined;
  return { words, n };
}

const ARTICLES = new Set(['a', 'an', 'the', 'some']);

/** A player's name as others see it: `player/alice` -> "Alice". */
export function displayName(ref: Ref): string {
  const name = refName(ref);
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The keywords a thing answers to: an item's from its definition, a player's name. */
export function keywordsOf(ref: Ref, world: WorldView): string[] {
  if (refKind(ref) === 'player') return [refName(ref)];
  const def = world.def(ref);
  if (!def || !('keywords' in def)) return [];
  let words = KEYWORDS.get(def);
  // The id works too ("magic_sword"), as builders and the docs call things by it.
  if (!words) KEYWORDS.set(def, (words = [...def.keywords, def.id.replace(/\.\d+$/, '')]));
  return words;
}

/** Keywords per definition, built once: matching runs over every thing in a room. */
const KEYWORDS = new WeakMap<object, string[]>();

/** Short name in a sentence: "a steel sword", "Alice", "the corpse of Alice". */
export function nameOf(ref: Ref, world: WorldView): string {
  if (refKind(ref) === 'player') return displayName(ref);
  return definedName(ref, world);
}

/** A fallen player's corpse (world/kinds/corpse.ts) is named in its ref: `item/corpse-ann-<hash>`. */
const CORPSE_OF = /^item\/corpse-([a-z]+)-/;

/** Short name in a sentence, a corpse named for whose it was. */
function definedName(ref: Ref, world: WorldView): string {
  const owner = ref.startsWith('item/corpse-') ? CORPSE_OF.exec(ref)?.[1] : undefined;
  if (owner) return `the corpse of ${displayName(`player/${owner}`)}`;
  return world.def(ref)?.name ?? ref;
}

function matches(keywords: string[], words: string[]): boolean {
  return words.every((w) => keywords.some((k) => k.startsWith(w)));
}

/** Whether a thing's own keywords answer to every word of a target. */
export function answersTo(ref: Ref, target: Target, world: WorldView): boolean {
  return matches(keywordsOf(ref, world), target.words);
}

/** Finds the target among candidates. Returns the ref, or how many matched so
 *  a caller can continue the count elsewhere ("2.sword" with one in hand and
 *  one on the floor means the one on the floor). */
export function findTarget(
  target: Target,
  candidates: readonly Ref[],
  world: WorldView,
  wordsOf: (ref: Ref, world: WorldView) => string[] = keywordsOf,
): { ref: Ref | undefined; matched: number } {
  let seen = 0;
  for (const ref of candidates) {
    if (!matches(wordsOf(ref, world), target.words)) continue;
    seen += 1;
    if (seen === target.n) return { ref, matched: seen };
  }
  return { ref: undefined, matched: seen };
}

/** `all` (every candidate) or `all.X` (every candidate that X names, `of`), in order. */
export function allOf(candidates: readonly Ref[], of: Target | undefined, world: WorldView): Ref[] {
  return of ? candidates.filter((ref) => matches(keywordsOf(ref, world), of.words)) : [...candidates];
}

/** The same target with the ordinal reduced by what was already counted; the
 *  ordinal the player typed is kept (`typed`) for what they are told. */
export function continueTarget(target: Target, alreadyMatched: number): Target {
  if (alreadyMatched === 0) return target;
  return { words: target.words, n: target.n - alreadyMatched, typed: typeof target.typed === 'number' ? target.typed : target.n };
}

/** A target as the player typed it: "sword", or "9.sword". */
export function targetPhrase(target: Target): string {
  const n = typeof target.typed === 'number' ? target.typed : target.n;
  return n > 1 ? `${n}.${target.words.join(' ')}` : target.words.join(' ');
}

/** "a sword, a shield and a key" */
export function listNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

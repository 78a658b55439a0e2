import type { Drafts } from './world-links.js';
import type { Spot } from './world-schema.js';

// `mud world check --pedantic`: things a room's description names that a player
// cannot look at. A noun is read the simple way, as the last word of a phrase
// that starts with an article ("a marble fountain" -> fountain); it is answered
// when an extra description of the room or an item lying there has it among its
// words (a plural answers to its singular). Noisy by design, so off by default.

const ARTICLES = new Set(['a', 'an', 'the', 'some']);
/** Words that end a noun phrase without being its noun. */
const STOPS = new Set([
  'of', 'in', 'on', 'at', 'by', 'with', 'and', 'or', 'but', 'that', 'which', 'whose', 'who', 'to', 'from', 'into', 'onto',
  'is', 'are', 'was', 'were', 'be', 'as', 'for', 'than', 'over', 'under', 'between', 'through', 'up', 'down', 'out', 'off',
  'like', 'near', 'behind', 'beyond', 'above', 'below', 'around', 'toward', 'towards', 'where', 'when', 'while', 'has', 'have',
  'seems', 'sets', 'leans', 'leads', 'hangs', 'hang', 'runs', 'lies', 'stands', 'it', 'its', 'they', 'them', 'you', 'your',
]);
const MAX_PHRASE = 2;

/** The nouns of a description (markup left out), each once, as written in lower case. */
export function describedNouns(text: string): string[] {
  const words = text.replace(/\{[^}]*\}/g, ' ').toLowerCase().split(/([^a-z'-]+)/);
  const nouns = new Set<string>();
  for (let i = 0; i < words.length; i += 2) {
    if (!ARTICLES.has(words[i]) || !/^\s+$/.test(words[i + 1] ?? '')) continue;
    let head: string | undefined;
    for (let j = i + 2, n = 0; j < words.length && n < MAX_PHRASE; j += 2, n++) {
      const w = words[j].replace(/^'+|'+$/g, '');
      if (!w || STOPS.has(w) || ARTICLES.has(w)) break;
      head = w;
      if (!/^\s+$/.test(words[j + 1] ?? '')) break; // punctuation ends the phrase
    }
    if (head && head.length > 2) nouns.add(head);
  }
  return [...nouns];
}

function answers(word: string, keywords: ReadonlySet<string>): boolean {
  const singular = [word, word.replace(/s$/, ''), word.replace(/es$/, ''), word.replace(/ies$/, 'y')];
  return singular.some((w) => keywords.has(w));
}

export function reviewDescriptions(drafts: Drafts, warn: (spot: Spot, message: string) => void): void {
  const keywordsOf = new Map(drafts.items.map((i) => [i.def.ref, i.def.keywords]));
  for (const room of drafts.rooms) {
    const keywords = new Set([
      ...(room.def.extras ?? []).flatMap((e) => e.keywords),
      ...room.def.items.flatMap((ref) => keywordsOf.get(ref) ?? []),
    ]);
    for (const noun of describedNouns(room.def.description)) {
      if (!answers(noun, keywords)) warn(room.spot, `room '${room.def.id}' mentions '${noun}' in its description, but no extra description or item here answers 'look ${noun}'`);
    }
  }
}

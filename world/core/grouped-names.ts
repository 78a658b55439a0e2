import pluralize from 'pluralize';

// "a red apple, a red apple and a lantern" reads as "two red apples and a
// lantern": identical names in a list are counted once, in the order first seen.

const NUMBERS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];

/** Identical names grouped, in first-seen order: ["two red apples", "a lantern"]. */
export function groupNames(names: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (counts.get(name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n === 1 ? name : countedName(name, n)));
}

/** "a red apple" x 3 -> "three red apples"; "a pair of boots" x 2 -> "two pairs of boots".
 *  Names without an article ("some bread", "Excalibur") read "Excalibur (x2)". */
export function countedName(name: string, n: number): string {
  const article = /^(a|an) (.+)$/i.exec(name);
  if (!article) return `${name} (x${n})`;
  const phrase = article[2];
  // The head noun is the last word, or the word before "of" ("a bottle of wine").
  const of = / of /i.exec(phrase);
  const head = of ? phrase.slice(0, of.index) : phrase;
  const tail = of ? phrase.slice(of.index) : '';
  const split = head.lastIndexOf(' ');
  const noun = head.slice(split + 1);
  return `${NUMBERS[n] ?? String(n)} ${head.slice(0, split + 1)}${pluralize.plural(noun)}${tail}`;
}

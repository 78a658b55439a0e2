// The names of the lab's scripted players (bench/lab-traders.ts, bench/lab-trade-pairs.ts), also
// for the tests that look them up: the prefix and two letters, `trab`, `trba`, ...

/** Player `i` of the group `prefix`. */
export function labPlayerName(prefix: string, i: number): string {
  return `${prefix}${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + Math.floor(i / 26))}`;
}

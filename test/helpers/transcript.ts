import type { EngineHarness } from './engine-harness.js';

/** The dispatch modes a game test runs in, with the nodes each gets. */
export const MODES = [['in-process', 0], ['actor', 2], ['function', 2]] as const;

/** Types a line as `who` and returns the lines it (and anything since) produced. */
export async function say(h: EngineHarness, line: string, who = 'player/ann'): Promise<string> {
  const before = h.lines.get(who)?.length ?? 0;
  await h.type(who, line);
  return (h.lines.get(who) ?? []).slice(before).join('\n');
}

/** Has `who` been told a line matching the pattern? */
export const heard = (h: EngineHarness, pattern: RegExp, who = 'player/ann'): boolean => (h.lines.get(who) ?? []).some((l) => pattern.test(l));

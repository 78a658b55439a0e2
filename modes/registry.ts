import { IN_PROCESS_MODE } from './in-process/in-process-mode.js';
import { ACTOR_MODE } from './actor/actor-mode.js';
import { FUNCTION_MODE } from './function/function-mode.js';

/** Every dispatch mode, by name: the one place a mode is added. The names, the
 *  dispatchers a gateway builds, the help texts and the monitor's keys (1, 2, 3
 *  in this order) all derive from it. */
export const MODE_REGISTRY = {
  'in-process': IN_PROCESS_MODE,
  actor: ACTOR_MODE,
  function: FUNCTION_MODE,
} as const;

export type Mode = keyof typeof MODE_REGISTRY;
export const MODES = Object.keys(MODE_REGISTRY) as readonly Mode[];

export function isMode(value: string): value is Mode {
  return Object.hasOwn(MODE_REGISTRY, value);
}

/** The monitor's keys that switch every object to a mode: 1, 2, 3, ... in the registry's order. */
export const MODE_KEYS: ReadonlyArray<readonly [string, Mode]> = MODES.map((mode, i) => [String(i + 1), mode] as const);

/** The modes whose turns run on nodes. */
export const NODE_MODES: readonly Mode[] = MODES.filter((mode) => MODE_REGISTRY[mode].needsNodes);

/** The modes several gateways can share (their objects do not live on a gateway). */
export const SHARED_MODES: readonly Mode[] = MODES.filter((mode) => !MODE_REGISTRY[mode].onGateway);

/** The first mode in `modes` whose objects live on the gateway (refused with several gateways live). */
export function gatewayModeIn(modes: Iterable<string>): Mode | undefined {
  for (const mode of modes) if (isMode(mode) && MODE_REGISTRY[mode].onGateway) return mode;
  return undefined;
}

/** Each mode's dispatcher, as its spec builds it (absent: not built on this gateway). */
export type Dispatchers = { -readonly [M in Mode]?: ReturnType<(typeof MODE_REGISTRY)[M]['build']> };

/** "a, b, or c" and "a and b": how help texts list the modes. */
export function listWords(words: readonly string[], conjunction: 'and' | 'or'): string {
  if (words.length <= 2) return words.join(` ${conjunction} `);
  return `${words.slice(0, -1).join(', ')}, ${conjunction} ${words[words.length - 1]}`;
}

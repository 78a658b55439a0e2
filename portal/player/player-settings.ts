import type { StateStore } from '../../store/state-store.js';
import { PlayerRecord } from './player-record.js';
import { checkPromptFormat, DEFAULT_PROMPT_FORMAT } from '../prompt-format.js';
import { ignoredNames, keptIgnores } from './player-ignores.js';

/** A player's display choices, kept in the store (`settings/<name>`) so they
 *  follow the player to any client and across restarts. `auto` = what the
 *  client negotiated. */
export interface PlayerSettings {
  color: 'auto' | 'on' | 'off' | '256';
  screenreader: 'auto' | 'on' | 'off';
  wrap: 'auto' | 'off';
  /** Hear the global chat channel (`chat on|off`). */
  chat: 'on' | 'off';
  /** The prompt again after lines that arrive unasked: `auto` = yes, unless logged in
   *  with the one-line `connect`/`create` of scripts and bots (one prompt per command). */
  prompt: 'auto' | 'always' | 'commands';
  /** What the prompt shows (`prompt <format>`, portal/prompt-format.ts). */
  promptFormat: string;
  /** The players this one ignores, comma-separated (portal/player/player-ignores.ts). */
  ignore: string;
  [key: string]: string;
}

export const DEFAULT_SETTINGS: Readonly<PlayerSettings> = { color: 'auto', screenreader: 'auto', wrap: 'auto', chat: 'on', prompt: 'auto', promptFormat: DEFAULT_PROMPT_FORMAT, ignore: '' };

const CHOICES: Record<string, readonly string[]> = {
  color: ['auto', 'on', 'off', '256'],
  screenreader: ['auto', 'on', 'off'],
  wrap: ['auto', 'off'],
  chat: ['on', 'off'],
  prompt: ['auto', 'always', 'commands'],
};
const ALIASES: Record<string, string> = { colour: 'color', colors: 'color', colours: 'color', reader: 'screenreader' };

export const CONFIG_USAGE = 'config [color auto|on|off|256] [screenreader auto|on|off] [wrap auto|off] [chat on|off] [prompt auto|always|commands]';

/** `config ...` applied to the current settings: the new settings, or a one-line error. */
export function parseConfig(rest: string, current: PlayerSettings): { settings: PlayerSettings } | { error: string } {
  const words = rest.trim().toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length % 2 !== 0) return { error: `Usage: ${CONFIG_USAGE}` };
  const next = { ...current };
  for (let i = 0; i < words.length; i += 2) {
    const key = ALIASES[words[i]!] ?? words[i]!;
    const choices = CHOICES[key];
    if (!choices) return { error: `There is no setting "${words[i]}". Usage: ${CONFIG_USAGE}` };
    if (!choices.includes(words[i + 1]!)) return { error: `${key} can be ${choices.join(', ')}; not "${words[i + 1]}".` };
    next[key] = words[i + 1]!;
  }
  return { settings: next };
}

export function describeSettings(s: PlayerSettings): string {
  return `color ${s.color}, screenreader ${s.screenreader}, wrap ${s.wrap}, chat ${s.chat}, prompt ${s.prompt}`;
}

/** A player's settings in the store (`settings/<name>`). */
export class PlayerSettingsStore extends PlayerRecord<PlayerSettings> {
  constructor(store: StateStore) {
    super(store, 'settings', (found) => {
      const out = { ...DEFAULT_SETTINGS };
      // Only known keys with known values survive: an old or hand-edited record cannot break rendering.
      for (const [k, choices] of Object.entries(CHOICES)) {
        const v = found[k];
        if (typeof v === 'string' && choices.includes(v)) out[k] = v;
      }
      const format = typeof found.promptFormat === 'string' ? checkPromptFormat(found.promptFormat) : undefined;
      if (format && 'format' in format) out.promptFormat = format.format;
      if (typeof found.ignore === 'string') out.ignore = keptIgnores(ignoredNames(found.ignore));
      return out;
    });
  }
}

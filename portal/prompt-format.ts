import type { Json } from '../world/core/types.js';

// The prompt a player shapes with `prompt <format>` (help in world/commands/health-help.ts),
// rendered by their session from the last `Char.Vitals` the world sent it.
// The default shows hit points while they matter (hurt or fighting) and the
// bare "> " otherwise, so a whole player's prompt stays as scripts and bots expect it.

/** The format kept when the player chose none. */
export const DEFAULT_PROMPT_FORMAT = 'default';
/** The longest format a player may keep. */
export const PROMPT_FORMAT_LIMIT = 80;

const PLAIN_PROMPT = '> ';
const CODES = new Set(['h', 'H', 'p', 'l', 'x', '%']);

export interface Vitals {
  hp: number;
  maxhp: number;
  position: string;
  fighting: boolean;
  level: number;
  xp: number;
}

/** The Char.Vitals data as the session keeps it; undefined when it is not that shape. */
export function readVitals(data: Json): Vitals | undefined {
  if (!data || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const { hp, maxhp, position, fighting, level, xp } = data;
  if (typeof hp !== 'number' || typeof maxhp !== 'number') return undefined;
  return {
    hp, maxhp, position: typeof position === 'string' ? position : 'standing', fighting: fighting === true,
    level: typeof level === 'number' ? level : 1, xp: typeof xp === 'number' ? xp : 0,
  };
}

/** A format as typed: the one to keep, or a one-line error. */
export function checkPromptFormat(text: string): { format: string } | { error: string } {
  const format = text.trim() === DEFAULT_PROMPT_FORMAT ? DEFAULT_PROMPT_FORMAT : text.replace(/^\s+/, '');
  if (!format) return { error: 'Prompt how? (usage: prompt [<format> | default])' };
  if (format.length > PROMPT_FORMAT_LIMIT) return { error: `A prompt is at most ${PROMPT_FORMAT_LIMIT} characters; that one has ${format.length}.` };
  // Control characters would let a prompt rewrite the player's own screen or telnet stream.
  if (/[\u0000-\u001f\u007f-\u009f]/.test(format)) return { error: 'A prompt cannot hold control characters.' };
  for (let i = format.indexOf('%'); i >= 0; i = format.indexOf('%', i + 2)) {
    const code = format[i + 1];
    if (!code || !CODES.has(code)) return { error: `"%${code ?? ''}" means nothing in a prompt: use %h, %H, %p, %l, %x or %%.` };
  }
  // The player types after it: a format that does not end in a space gets one (clients trim the line).
  return { format: format === DEFAULT_PROMPT_FORMAT || format.endsWith(' ') ? format : `${format} ` };
}

/** What the player is doing, for %p: "fighting", "resting", "sleeping", or nothing. */
function doing(v: Vitals): string {
  if (v.fighting) return 'fighting';
  return v.position === 'standing' ? '' : v.position;
}

/** The prompt text for a format and the latest vitals (none yet: the plain prompt). */
export function renderPrompt(format: string, v: Vitals | undefined): string {
  if (!v) return PLAIN_PROMPT;
  if (format === DEFAULT_PROMPT_FORMAT) {
    if (v.hp >= v.maxhp && !v.fighting && v.position === 'standing') return PLAIN_PROMPT;
    const what = doing(v);
    return `${v.hp}/${v.maxhp}hp${what ? ` ${what}` : ''}> `;
  }
  return format.replace(/%([hHplx%])/g, (_all, code: string) => {
    if (code === 'h') return String(v.hp);
    if (code === 'H') return String(v.maxhp);
    if (code === 'l') return String(v.level);
    if (code === 'x') return String(v.xp);
    if (code === 'p') return doing(v);
    return '%';
  });
}

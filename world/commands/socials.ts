import type { Json } from '../core/types.js';

// Socials: gestures from a table the world files extend (`socials:`, read by
// world/files/world-socials.ts; the default world's is data/worlds/default/socials.yaml).
// Each says what the one who does it sees, what the room sees, and, aimed at
// someone, what they see. `$n` is the one who does it, `$N` the one it is aimed at.

export interface SocialDef {
  /** Alone: what the doer sees, and what everyone else here sees. */
  you: string;
  room: string;
  /** Aimed at someone (absent: it takes no target). */
  you_to?: string;
  them?: string;
  room_to?: string;
  [key: string]: Json | undefined;
}

/** The placeholders a social's lines may use. */
export const SOCIAL_PLACEHOLDERS = /\$[nN]/g;

/** A line with the doer's and the target's names put in. */
export function socialLine(template: string, doer: string, target = ''): string {
  return template.replace(SOCIAL_PLACEHOLDERS, (p) => (p === '$n' ? doer : target));
}

/** What the room sees of `emote <text>`: "Bertha waves", and with a possessive
 *  or a comma no space: `emote 's eyes glow` is "Bertha's eyes glow". */
export function emoteLine(name: string, text: string): string {
  return /^['’,]/.test(text) ? `${name}${text}` : `${name} ${text}`;
}

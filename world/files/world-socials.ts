import type { SocialDef } from '../commands/socials.js';
import { ID_PATTERN, type Field, type Spot, type YamlReader } from './world-schema.js';

// Reads the `socials` section of one file: a map from the word players type to
// its lines (world/commands/socials.ts). A world extends the table by adding its own;
// a name given twice, or one a command already has, is an error (the command
// would always win, and the social could never be used).

export interface SocialDraft {
  name: string;
  spot: Spot;
  def: SocialDef;
}

const KEYS = ['you', 'room', 'you_to', 'them', 'room_to'] as const;
const AIMED = ['you_to', 'them', 'room_to'] as const;

export function readSocials(r: YamlReader, f: Field): SocialDraft[] {
  const socials: SocialDraft[] = [];
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    if (!ID_PATTERN.test(key) || key.includes('_')) {
      r.fail(keySpot, `invalid social name '${key}' (one lowercase word, as players type it)`);
      continue;
    }
    const fields = r.fields(value, KEYS, ['you', 'room']);
    if (!fields) continue;
    const def: Partial<SocialDef> = {};
    for (const k of KEYS) {
      const field = fields[k];
      const text = field && r.string(field)?.trim();
      if (!field || text === undefined) continue;
      const bad = /\$[^nN]|\$$/.exec(text);
      if (bad) r.fail(field, `social '${key}': '${bad[0]}' is not a placeholder ($n is the one who does it, $N the one it is aimed at)`);
      else def[k] = text;
    }
    const aimed = AIMED.filter((k) => fields[k]);
    if (aimed.length > 0 && aimed.length < AIMED.length) {
      r.fail(value.keySpot ?? value.spot, `social '${key}' aimed at someone needs all of ${AIMED.join(', ')} (it has ${aimed.join(', ')})`);
    }
    if (def.you && def.room) socials.push({ name: key, spot: keySpot, def: def as SocialDef });
  }
  return socials;
}

/** One table for the world: each name once, and none a command's. */
export function linkSocials(drafts: SocialDraft[], isCommand: (word: string) => boolean, fail: (spot: Spot, message: string) => void): Record<string, SocialDef> {
  const socials: Record<string, SocialDef> = {};
  const first = new Map<string, Spot>();
  for (const s of drafts) {
    const seen = first.get(s.name);
    if (seen) fail(s.spot, `duplicate social '${s.name}' (first at ${seen.file}:${seen.line}:${seen.column})`);
    else if (isCommand(s.name)) fail(s.spot, `social '${s.name}' has the name of a command: players could never use it`);
    else {
      first.set(s.name, s.spot);
      socials[s.name] = s.def;
    }
  }
  return socials;
}

import type { ExtraDescription } from '../core/types.js';
import { markupProblem } from '../core/builder-markup.js';
import type { Field, YamlReader } from './world-schema.js';

// A room's extra descriptions: scenery its description mentions that a player
// may look at (`look yew`) without it being an item. Written as
//   extras:
//     yew, tree: An old yew, its roots heaved up through the shells.
// Each key is one word or several synonyms; one of them must be a word of the
// room's description, so a builder's typo shows up in `mud world check`
// instead of as a word nobody can find.

const WORD = /^[a-z0-9][a-z0-9'-]*$/;

export function readExtras(r: YamlReader, f: Field, room: string, description: string): ExtraDescription[] {
  const extras: ExtraDescription[] = [];
  const words = new Set(description.toLowerCase().split(/[^a-z0-9'-]+/));
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    const keywords = key.split(',').map((w) => w.trim().toLowerCase());
    const bad = keywords.find((w) => !WORD.test(w));
    if (bad !== undefined) {
      r.fail(keySpot, `extra '${key}' of room '${room}': '${bad}' is not a single lowercase word (separate synonyms with commas)`);
      continue;
    }
    if (!keywords.some((w) => words.has(w))) {
      r.fail(keySpot, `extra '${key}' of room '${room}': none of its words appears in the room's description (use one there, or remove the extra)`);
      continue;
    }
    const text = r.string(value)?.trimEnd();
    const markup = text && markupProblem(text);
    if (markup) r.fail(value, `extra '${key}' of room '${room}': ${markup}`);
    else if (text) extras.push({ keywords, text });
  }
  return extras;
}

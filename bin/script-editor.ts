import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { LineInput } from '../portal/session-host.js';
import type { WorldSource } from '../world/files/world-source.js';
import { scriptPlace, setScript, type BuildResult } from '../world/files/building-edits.js';
import type { Change } from './building.js';

const HELP = 'Type lines to add them. .l lists, .d N deletes line N, .r N <text> replaces it, .i N <text> inserts before it, .c clears, .s saves, .q quits unsaved (a line starting with a dot: type two).';

/** `@script`: a line editor on a room's script. What it saves replaces the script
 *  whole, and only if nobody changed the script since the editor opened it: two
 *  wizards editing one script do not overwrite each other, the second is refused. */
export class ScriptEditor implements LineInput {
  done = false;
  private lines: string[];

  private constructor(private readonly room: string, private readonly base: string, private readonly save: (code: string, base: string) => Promise<Change>) {
    this.lines = base ? base.replace(/\n$/, '').split('\n') : [];
  }

  static async open(src: WorldSource, worldPath: string, room: string, save: (code: string, base: string) => Promise<Change>): Promise<ScriptEditor> {
    return new ScriptEditor(room, await currentScript(src, worldPath, room), save);
  }

  /** The script as it is now: its inline text, its file (as edited, or on disk), or empty. */
  static async apply(src: WorldSource, worldPath: string, by: string, room: string, code: string, base: string): Promise<BuildResult> {
    if ((await currentScript(src, worldPath, room)) !== base) {
      return { ok: false, error: `someone changed the script of room ${room} while you edited it; yours is not applied (@script again shows theirs)` };
    }
    return setScript(src, by, room, code);
  }

  intro(): string {
    return `Editing the script of room ${this.room} (${this.lines.length} line${this.lines.length === 1 ? '' : 's'}).\n${HELP}${this.lines.length ? `\n${this.listing()}` : ''}`;
  }

  async line(text: string): Promise<string> {
    const command = /^\.([a-z])?(?:\s+(\d+))?(?:\s(.*))?$/.exec(text);
    if (!command || text.startsWith('..')) {
      this.lines.push(text.startsWith('..') ? text.slice(1) : text);
      return '';
    }
    const [, verb, num, rest] = command;
    const at = num === undefined ? -1 : Number(num) - 1;
    const inRange = at >= 0 && at < this.lines.length;
    switch (verb) {
      case 'l': return this.listing() || '(empty)';
      case 'c': this.lines = []; return 'Cleared.';
      case 'q': this.done = true; return 'Left as it was.';
      case 's': case undefined: {
        const saved = await this.save(this.lines.length ? `${this.lines.join('\n')}\n` : '', this.base);
        // A script that does not compile (or a world it would break) is the builder's to mend: the lines stay.
        if (saved.wouldNotLoad) return `${saved.text}\nStill editing: mend it and .s again, or .q to leave the script as it was.`;
        this.done = true;
        return saved.text;
      }
      case 'd': if (!inRange) return `No line ${num ?? ''}.`; this.lines.splice(at, 1); return `Line ${at + 1} deleted.`;
      case 'r': if (!inRange) return `No line ${num ?? ''}.`; this.lines[at] = rest ?? ''; return `Line ${at + 1} replaced.`;
      case 'i': if (at < 0 || at > this.lines.length) return `No line ${num ?? ''}.`; this.lines.splice(at, 0, rest ?? ''); return `Inserted as line ${at + 1}.`;
      default: return `Unknown editor command .${verb}. ${HELP}`;
    }
  }

  private listing(): string {
    const width = String(this.lines.length).length;
    return this.lines.map((l, i) => `${String(i + 1).padStart(width)}: ${l}`).join('\n');
  }
}

async function currentScript(src: WorldSource, worldPath: string, room: string): Promise<string> {
  const place = scriptPlace(src, room);
  if ('inline' in place) return place.inline;
  if ('none' in place) return '';
  const edited = src.editedScript(place.file);
  if (edited !== undefined) return edited;
  try {
    return await readFile(path.join(worldPath, ...place.file.split('/')), 'utf8');
  } catch {
    return '';
  }
}

import { closeExit, create, destroyItem, destroyRoom, dig, openExit, setExtra, setField, type BuildResult } from '../world/files/building-edits.js';
import type { WorldSource } from '../world/files/world-source.js';

// The words of the building commands that change the world in one line, read into
// the edits of world/files/building-edits.ts. Their help is in world/commands/building-commands.ts.

type Verb = (args: string, src: WorldSource, by: string, here: string, start: string) => BuildResult;

const usage = (text: string): BuildResult => ({ ok: false, error: `usage: ${text}` });

/** The first word and the rest. */
function split(text: string): [string, string] {
  const t = text.trim();
  const space = t.search(/\s/);
  return space < 0 ? [t, ''] : [t.slice(0, space), t.slice(space + 1).trim()];
}

const VERBS: Readonly<Record<string, Verb>> = {
  '@dig': (args, src, by, here) => {
    const [dir, more] = split(args);
    const [id, name] = split(more);
    return dir && id ? dig(src, by, here, dir, id.toLowerCase(), name) : usage('@dig <direction> <room id> [name]');
  },
  '@open': (args, src, by, here) => {
    const m = /^(\S+)\s+(\S+)(?:\s+door\s+(\S+))?$/i.exec(args.trim());
    return m ? openExit(src, by, here, m[1], m[2].toLowerCase(), m[3]?.toLowerCase()) : usage('@open <direction> <room id> [door <door id>]');
  },
  '@close': (args, src, by, here) => (args.trim() ? closeExit(src, by, here, args.trim()) : usage('@close <direction>')),
  '@create': (args, src, by, here) => {
    const [kind, more] = split(args);
    const [id, name] = split(more);
    return kind && id ? create(src, by, here, kind.toLowerCase(), id.toLowerCase(), name) : usage('@create <kind> <item id> [name]');
  },
  '@name': (args, src, by, here) => {
    const [target, text] = split(args);
    return target && text ? setField(src, by, here, target.toLowerCase(), 'name', text) : usage('@name <here | item id> <name>');
  },
  '@desc': (args, src, by, here) => {
    const [target, text] = split(args);
    return target && text ? setField(src, by, here, target.toLowerCase(), 'description', text.replace(/\\n/g, '\n')) : usage('@desc <here | item id> <description>');
  },
  '@keywords': (args, src, by, here) => {
    const [target, text] = split(args);
    const words = text.toLowerCase().split(/[\s,]+/).filter(Boolean);
    return target && words.length ? setField(src, by, here, target.toLowerCase(), 'keywords', words) : usage('@keywords <item id> <word> [word ...]');
  },
  '@extra': (args, src, by, here) => {
    const eq = args.indexOf('=');
    const words = (eq < 0 ? args : args.slice(0, eq)).trim();
    const text = eq < 0 ? undefined : args.slice(eq + 1).trim();
    if (!words || text === '') return usage('@extra <word>[, word ...] = <text>, or @extra <word> alone to remove it');
    return setExtra(src, by, here, words, text);
  },
  '@destroy': (args, src, by, here, start) => {
    const id = args.trim().toLowerCase();
    if (!id) return usage('@destroy <item id | room id>');
    return src.entry('items', id) ? destroyItem(src, by, here, id) : destroyRoom(src, by, here, id, start);
  },
};

export function isBuildingVerb(verb: string): boolean {
  return Object.hasOwn(VERBS, verb);
}

export function buildingEdit(verb: string, args: string, src: WorldSource, by: string, here: string, start: string): BuildResult {
  return VERBS[verb](args, src, by, here, start);
}

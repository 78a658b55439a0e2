import type { WorldError } from './world-def.js';
import type { Drafts } from './world-links.js';
import type { Spot } from './world-schema.js';
import type { ScriptDraft } from './world-sections.js';
import { PROTOCOL } from '../core/protocol.js';
import { npcKind } from '../kinds/npc.js';
import { NOTICES } from '../kinds/room-npcs.js';
import { reviewSends } from './world-sends.js';
import { reviewDescriptions } from './world-pedantic.js';

// What a reviewer would flag in a world that loads: not errors (the world runs), but most likely
// mistakes. `mud world check` prints them as warnings and exits 0 unless --strict.

/** The hooks each script defines, by the draft that names the script (filled in as scripts compile). */
export type HookNames = Map<ScriptDraft, { hooks: readonly string[]; code: string }>;

/** Message types the engine delivers to every object with a script, whatever its kind. */
const EVERY_KIND = new Set(['init']);

/** `pedantic`: also the nouns of room descriptions that nothing answers (world-pedantic.ts). */
export function reviewWorld(drafts: Drafts, startRoom: string, hooks: HookNames, scriptTexts: readonly string[], opts: { pedantic?: boolean } = {}): WorldError[] {
  const warnings: WorldError[] = [];
  const warn = (spot: Spot, message: string) => warnings.push({ ...spot, message });
  reviewRooms(drafts, startRoom, warn);
  reviewHooks(drafts, hooks, scriptTexts, warn);
  reviewSends(drafts, hooks, warn);
  if (opts.pedantic) reviewDescriptions(drafts, warn);
  return warnings;
}

function reviewRooms(drafts: Drafts, startRoom: string, warn: (spot: Spot, message: string) => void): void {
  const byId = new Map(drafts.rooms.map((r) => [r.def.id, r]));
  const reached = new Set<string>();
  const queue = byId.has(startRoom) ? [startRoom] : [];
  for (const id of queue) {
    if (reached.has(id)) continue;
    reached.add(id);
    for (const e of byId.get(id)?.exits ?? []) if (byId.has(e.target) && !reached.has(e.target)) queue.push(e.target);
  }
  for (const room of drafts.rooms) {
    const id = room.def.id;
    if (byId.size > 0 && reached.size > 0 && !reached.has(id)) warn(room.spot, `room '${id}' cannot be reached from the start room '${startRoom}' by any exit`);
    if (room.exits.length === 0) warn(room.spot, `room '${id}' has no way out: no exits`);
    for (const e of room.exits) {
      const back = byId.get(e.target);
      if (back && e.target !== id && !back.exits.some((b) => b.target === id)) {
        warn(e.spot, `exit ${e.dir} from '${id}' to '${e.target}' is one-way: '${e.target}' has no exit back to '${id}'`);
      }
    }
  }
}

function reviewHooks(drafts: Drafts, hooks: HookNames, scriptTexts: readonly string[], warn: (spot: Spot, message: string) => void): void {
  // A creature hears its kind's own messages and what its room passes on (a say as `overhear`, ...).
  const creatureHears = new Set([...(npcKind.handles ?? []), ...Object.values(NOTICES), ...EVERY_KIND]);
  const owners = [
    ...drafts.rooms.map((r) => ({ script: r.script, creature: false })),
    ...drafts.items.map((i) => ({ script: i.script, creature: i.def.kind === 'npc' })),
  ];
  const seen = new Set<string>();
  for (const { script, creature } of owners) {
    if (!script) continue;
    const compiled = hooks.get(script);
    for (const hook of compiled?.hooks ?? []) {
      // A top-level function the script calls itself is a helper, not a hook.
      if (usedInOwnScript(hook, compiled!.code)) continue;
      const key = `${script.spot.file}:${script.spot.line}:${hook}:${creature}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (!(hook in PROTOCOL) && !EVERY_KIND.has(hook) && !sentByAnyScript(hook, scriptTexts)) {
        const near = closest(hook, [...Object.keys(PROTOCOL), ...EVERY_KIND]);
        warn(script.spot, `function '${hook}' answers no message and is never called: it is no message type of the engine and no script sends it${near ? ` (did you mean '${near}'?)` : ''}`);
      } else if (creature && hook in PROTOCOL && !creatureHears.has(hook)) {
        warn(script.spot, `hook '${hook}' is never called on a creature: creatures do not receive '${hook}' (rooms do); a creature hears ${[...creatureHears].sort().join(', ')}`);
      }
    }
  }
}

/** Named more than once in its own script (declared, then called or passed): a helper function. */
function usedInOwnScript(name: string, text: string): boolean {
  return (text.match(new RegExp(`\\b${name.replace(/[$]/g, '\\$')}\\b`, 'g')) ?? []).length > 1;
}

/** A builder's own message type counts when some script names it as a string. */
function sentByAnyScript(type: string, texts: readonly string[]): boolean {
  const quoted = new RegExp(`(['"\`])${type.replace(/[$]/g, '\\$')}\\1`);
  return texts.some((t) => quoted.test(t));
}

/** The known name within two edits, if exactly one is nearest. */
function closest(word: string, names: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const n of names) {
    const d = distance(word, n);
    if (d < bestDistance) [best, bestDistance] = [n, d];
  }
  return best;
}

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const next = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = row[j];
      row[j] = next;
    }
  }
  return row[b.length];
}

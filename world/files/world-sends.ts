import path from 'node:path';
import type { Drafts } from './world-links.js';
import type { Spot } from './world-schema.js';
import type { ScriptDraft } from './world-sections.js';
import type { HookNames } from './world-review.js';
import { PROTOCOL } from '../core/protocol.js';
import { npcKind } from '../kinds/npc.js';
import { closingParen } from '../scripts/script-static-check.js';

// A script that sends a message nobody at the other end answers: a builder's own
// message type (not one of the engine's) to an object whose script has no hook of
// that name, or to a player (players have no scripts), or an engine message a
// creature never handles. Only sends whose target and type are written out are read:
// `ctx.send(ctx.self, ...)`, `ctx.send('room/hall', ...)`, `ctx.send(msg.player, ...)`,
// and every `ctx.after` (to its own object).

const SEND = /\bctx\.(send|after)\s*\(/g;
const LITERAL_TYPE = /(?<![\w$])type\s*:\s*(['"`])([A-Za-z_$][\w$]*)\1/;

interface Owner {
  ref: string;
  creature: boolean;
  script: ScriptDraft;
}

export function reviewSends(drafts: Drafts, hooks: HookNames, warn: (spot: Spot, message: string) => void): void {
  const owners: Owner[] = [
    ...drafts.rooms.filter((r) => r.script).map((r) => ({ ref: r.def.ref, creature: false, script: r.script! })),
    ...drafts.items.filter((i) => i.script).map((i) => ({ ref: i.def.ref, creature: i.def.kind === 'npc', script: i.script! })),
  ];
  const byRef = new Map(owners.map((o) => [o.ref, o]));
  const creatures = new Set(drafts.items.filter((i) => i.def.kind === 'npc').map((i) => i.def.ref));
  const objects = new Set([...drafts.rooms.map((r) => r.def.ref), ...drafts.items.map((i) => i.def.ref)]);
  const npcHandles = new Set(npcKind.handles ?? []);
  const seen = new Set<ScriptDraft>();
  for (const owner of owners) {
    if (seen.has(owner.script)) continue; // instances share their script: read once
    seen.add(owner.script);
    const code = hooks.get(owner.script)?.code;
    if (code === undefined) continue;
    for (const call of code.matchAll(SEND)) {
      const from = call.index + call[0].length;
      const args = code.slice(from, closingParen(code, from));
      const type = LITERAL_TYPE.exec(call[1] === 'after' ? args.slice(args.indexOf(',') + 1) : args.slice(firstComma(args) + 1))?.[2];
      if (!type) continue;
      const target = call[1] === 'after' ? 'ctx.self' : args.slice(0, firstComma(args)).trim();
      const ref = target === 'ctx.self' ? owner.ref : /^(['"`])((room|item)\/[a-z0-9_.]+)\1$/.exec(target)?.[2];
      const player = /^msg\.(player|actor)$/.test(target);
      if (!ref && !player) continue;
      if (ref && !objects.has(ref)) continue; // an unknown ref is the runtime's to refuse
      const engine = Object.hasOwn(PROTOCOL, type);
      const hooked = ref ? (hooks.get(byRef.get(ref)?.script as ScriptDraft)?.hooks ?? []).includes(type) : false;
      const creature = ref ? creatures.has(ref) : false;
      const unanswered = player ? !engine : engine ? creature && !npcHandles.has(type) && !hooked : !hooked;
      if (!unanswered) continue;
      const to = player ? 'a player (players have no scripts)' : `${ref}${byRef.has(ref!) ? ', whose script has no hook of that name' : ', which has no script'}`;
      warn(spotIn(owner.script, code, call.index), `'${type}' is sent to ${to}${creature && engine ? ` (a creature handles ${[...npcHandles].sort().join(', ')})` : ''}: nothing answers it`);
    }
  }
}

/** The comma after the first argument (brackets counted). */
function firstComma(args: string): number {
  let depth = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (c === '(' || c === '{' || c === '[') depth += 1;
    else if (c === ')' || c === '}' || c === ']') depth -= 1;
    else if (c === ',' && depth === 0) return i;
  }
  return args.length;
}

/** Where in the files an offset of a script's code is: its own file, or the YAML of an inline one. */
function spotIn(script: ScriptDraft, code: string, index: number): Spot {
  const before = code.slice(0, index).split('\n');
  const column = before[before.length - 1].length + 1;
  if (script.inline) return { file: script.spot.file, line: script.line + before.length - 1, column: column + script.indent };
  return { file: path.join(path.dirname(script.spot.file), script.text), line: before.length, column };
}

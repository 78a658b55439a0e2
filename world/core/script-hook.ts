import type { Json, Msg, Ref, ScriptEffect, WorldView } from './types.js';
import type { Kind } from './kind.js';
import { ruleOf } from './protocol.js';
import { outOfReach, reachOf, stampRoom, type ScriptReach } from '../scripts/script-reach.js';
import { scriptText, withoutControls } from '../scripts/script-text.js';
import type { TurnContext } from './turn-context.js';
import { seedOf } from './seeded-random.js';

/** What a player who is not a wizard is told when a script fails in their turn. */
const SCRIPT_FAILED = 'Something went wrong there. (The builders have been told.)';

/** The builder's hook runs after the built-in handler. If it fails, only its own
 *  part of the turn is dropped: the engine's moves of items and players stand. */
export function runHook(
  world: WorldView, kind: Kind<Json>, ref: Ref, state: Json, msg: Msg, now: number, ctx: TurnContext,
): Json {
  if (msg.type === 'init') return state;
  const hook = world.hook(ref, msg.type);
  if (!hook) return state;
  const current = state as { vars?: Json; [k: string]: Json | undefined };
  const vars = current.vars ?? {};
  const outcome = hook({
    state: vars, msg: heardBy(msg), self: ref, now, seed: seedOf(msg.id) ^ 0x5bd1e995, timerBase: ctx.timerBase,
    // Built only if the hook reads ctx.here (script-sandbox.ts asks for it then): most calls do not, and a
    // crowded room's list of 50 occupants cost more than the rest of the call's input.
    get here() { return kind.here(state, ref, world); },
  });
  const reach = outcome.ok ? reachOf(world, ref, state, msg) : undefined;
  const error = outcome.ok ? outOfReach(outcome.effects, reach!, msg.actor) : outcome.error;
  if (error !== undefined || !outcome.ok) {
    // Script-made text (a thrown message) reaches a terminal here too: no controls in it.
    const shown = withoutControls(error ?? '');
    ctx.log('error', `script ${ref} ${msg.type}: ${shown}`);
    // The detail (the server's file paths) is the builders': the log has it, and so does a wizard.
    if (msg.actor) ctx.tell(msg.actor, msg.wizard ? `[A script failed in ${ref}: ${shown}]` : SCRIPT_FAILED);
    return state;
  }
  ctx.scriptStateChars = outcome.size;
  for (const e of outcome.effects) {
    const problem = applyScriptEffect(e, ctx, reach!);
    if (problem) {
      ctx.log('error', `script ${ref} ${msg.type}: ${problem}`);
      break;
    }
  }
  // The script runtime answers the state it was given, or none, when the hook left it as it was (script-sandbox.ts).
  if (outcome.state === undefined || outcome.state === vars) return state;
  return { ...current, vars: outcome.state };
}

/** The message as a hook sees it: without what is for its recipients alone (the words of a whisper), nor who
 *  delivered it (Msg.delivery: the engine's bookkeeping, different in every run and mode, and sent to the
 *  script thread on every call for nothing). */
function heardBy(msg: Msg): Msg {
  const hidden = ruleOf(msg.type).private;
  if (!hidden && !msg.delivery) return msg;
  const seen = { ...msg };
  delete seen.delivery;
  for (const field of hidden ?? []) delete seen[field];
  return seen;
}

/** Applies a checked script effect; a timer problem (a forged id, too many) is the script's error. */
function applyScriptEffect(e: ScriptEffect, ctx: TurnContext, reach: ScriptReach): string | undefined {
  if (e.t === 'tell') ctx.tell(e.to, scriptText(e.text));
  else if (e.t === 'tellRoom') ctx.tellRoom(e.room, scriptText(e.text), e.except);
  else if (e.t === 'send') ctx.send(e.to, { ...stampRoom(e.msg, reach), script: true });
  else if (e.t === 'after') return ctx.scriptAfter(e.id, e.ms, stampRoom(e.msg, reach));
  else if (e.t === 'quest') ctx.send(e.to, { type: 'journal', by: reach.self, title: scriptText(e.title), text: scriptText(e.text), done: e.done === true, script: true });
  else ctx.cancel(e.id);
  return undefined;
}

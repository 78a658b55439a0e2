import type { AreaDef, Msg, ObjectDef, Ref, ScriptHook, ScriptInput, ScriptOutcome, TurnConfig, WorldView } from './types.js';
import type { SocialDef } from '../commands/socials.js';
import { runTurn, type ObjectRecord, type TurnOutcome } from './turn.js';
import { TIMER_MSG } from './timers.js';

// A turn whose builder hook runs without holding the thread that runs turns.
// A hook call waits for the script thread (world/scripts/script-thread.ts); on a
// busy machine that thread waits for a core, and the turn thread would wait with
// it, doing nothing (docs/BENCHMARKS.md, "Profile of what ships"). Here the turn
// is computed up to its first hook call, which is then sent to the script thread;
// this thread goes on with other objects' turns and its sockets, and once the
// answer is in, the turn is computed again from the start with it. Turns are
// pure (the same record, message and `now` make the same calls with the same
// inputs), so the second computing is the turn the hook would have had, and the
// object's mailbox (modes/actor/homed-objects.ts) keeps its next turn waiting.

/** Thrown out of a turn at a hook call whose answer is not in yet. */
const NOT_YET = Symbol('hook answer not in yet');

/** runTurn, answered at once when the turn calls no hook that can answer later, else once its hooks have answered. */
export function runTurnLater(
  world: WorldView, config: TurnConfig, ref: Ref, record: ObjectRecord | undefined, msg: Msg, now: number,
): TurnOutcome | Promise<TurnOutcome> {
  // Most turns call no hook that answers later (a player's, a room without a script): run as they are.
  if (!mayCallLater(world, ref, record, msg)) return runTurn(world, config, ref, record, msg, now);
  const answered = new AnsweredHooks(world);
  return answered.run(() => runTurn(answered, config, ref, record, msg, now));
}

/** Whether a turn may call a hook that answers later: its message's hook, or (an object's first turn) its
 *  `init`; a fired timer's message is read from the record, so it may be any. The turn calls no other hook. */
function mayCallLater(world: WorldView, ref: Ref, record: ObjectRecord | undefined, msg: Msg): boolean {
  if (!record || msg.type === TIMER_MSG) return true;
  return world.hook(ref, msg.type)?.later !== undefined;
}

/** The world as a turn sees it, with each hook call answered from the calls made before, in order. */
class AnsweredHooks implements WorldView {
  private readonly answers: ScriptOutcome[] = [];
  private calls = 0;
  private pending: Promise<ScriptOutcome> | undefined;

  constructor(private readonly world: WorldView) {}

  get startRoom(): Ref {
    return this.world.startRoom;
  }

  get name(): string | undefined {
    return this.world.name;
  }

  get areas(): Readonly<Record<string, AreaDef>> {
    return this.world.areas;
  }

  get socials(): Readonly<Record<string, SocialDef>> | undefined {
    return this.world.socials;
  }

  def(ref: Ref): ObjectDef | undefined {
    return this.world.def(ref);
  }

  hook(ref: Ref, type: string): ScriptHook | undefined {
    const hook = this.world.hook(ref, type);
    const later = hook?.later;
    if (!later) return hook;
    return (input: ScriptInput): ScriptOutcome => {
      const i = this.calls++;
      if (i < this.answers.length) return this.answers[i];
      this.pending = later(input);
      throw NOT_YET;
    };
  }

  run(turn: () => TurnOutcome): TurnOutcome | Promise<TurnOutcome> {
    this.calls = 0;
    try {
      return turn();
    } catch (err) {
      if (err !== NOT_YET) throw err;
    }
    return this.pending!.then((answer) => {
      this.answers.push(answer);
      return this.run(turn);
    });
  }
}

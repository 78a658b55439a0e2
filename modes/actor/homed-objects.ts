import type { Effect, Json, Msg, Ref, TurnConfig, WorldView } from '../../world/core/types.js';
import { runTurn, type ObjectRecord, type TurnOutcome } from '../../world/core/turn.js';
import { runTurnLater } from '../../world/core/turn-later.js';
import { answeredHere } from '../../world/core/outbox-hold.js';
import { NewestWords } from '../../world/core/newest-words.js';
import { appliedAgain } from '../../world/core/applied-again.js';
import type { StateStore } from '../../store/state-store.js';
import { FencedWriteError, WriteQueue } from './write-queue.js';
import { AppliedRecently } from './applied-recently.js';

interface Activation {
  record: ObjectRecord | undefined;
  /** The tail of this object's mailbox: the next turn starts when it settles. */
  tail: Promise<unknown>;
  /** Its writes to the store: one in flight at a time, fenced on failure. */
  writes: WriteQueue;
  depth: number;
  /** Turns in its mailbox not yet computing. */
  waiting: number;
  lastUsed: number;
  /** Its state has been read from the store. */
  loaded: boolean;
  /** A write of it failed: it no longer matches the store, and is being reloaded. */
  stale: boolean;
  /** The newest word of each engine among the messages sent to it (world/core/newest-words.ts). */
  words: NewestWords;
}

/** A computed turn: its effects, and its write when it changed the object (with what its outbox keeps). */
type Computed = { effects: Effect[]; write?: Promise<void>; kept?: Effect[] };

export interface HomedStats {
  activations: number;
  mailboxDepth: number;
  turns: number;
  writes: number;
}

/** Objects living in memory at one home (the in-process gateway, or an actor
 *  node): one mailbox per object, turns strictly one at a time, state cached
 *  here and written through to the store before a turn's effects are released.
 *  Turn n+1 may compute while turn n's write is in flight; its write queues
 *  behind (see write-queue.ts), and each turn's effects wait for its own write.
 *  When a write fails, the writes queued behind it are cancelled, the object is
 *  dropped (the next turn reloads it) and every turn whose write did not land
 *  fails back to the engine, which delivers it again with the same message id. */
export class HomedObjects {
  private readonly active = new Map<Ref, Activation>();
  /** Messages applied here lately: one delivered again after it left its record's window is still found. */
  private readonly applied = new AppliedRecently();
  private turns = 0;
  private writes = 0;
  private depth = 0;

  constructor(
    private readonly store: StateStore,
    private world: WorldView,
    private readonly config: () => TurnConfig,
    private readonly onTurn?: (ref: Ref, micros: number) => void,
    /** Whether a turn's builder hook may run while this thread goes on (world/core/turn-later.ts): the gateway's
     *  thread, which also serves every socket, gains most; an actor node's thread waits for its hooks (measured
     *  both ways on the shipped hot room, docs/BENCHMARKS.md, "A hook answered later"). */
    private readonly hooksLater = false,
    /** Whether the answers go to an engine in this very process (the gateway's own objects): once a write is
     *  acknowledged its turns' answers cannot be lost, so their outbox entries are not held past the window
     *  (world/core/outbox-hold.ts); a group commit would otherwise hold every turn folded into a write in flight. */
    private readonly answersHere = false,
  ) {}

  setWorld(world: WorldView): void {
    this.world = world;
  }

  run(ref: Ref, msg: Msg, config?: TurnConfig): Promise<Effect[]> {
    const a = this.activation(ref);
    // Where answers cannot be lost once written, nothing waits on a stale word (`answersHere`).
    if (!this.answersHere) a.words.note(msg);
    const started = performance.now();
    if (a.loaded && a.depth === 0) return this.runNow(ref, a, msg, config, started);
    return this.queue(ref, a, msg, config, started);
  }

  /** Through the mailbox: after the turns ahead of it, or while its builder hook runs on the script thread. */
  private queue(ref: Ref, a: Activation, msg: Msg, config: TurnConfig | undefined, started: number, computing?: Promise<Computed>): Promise<Effect[]> {
    this.enter(a);
    // The mailbox orders the computing of turns; the write of turn n may still be
    // in flight while turn n+1 computes on its state. Each turn's effects wait for
    // its own write, and the store resolves writes in the order they were issued.
    if (!computing) a.waiting += 1;
    const computed = computing ?? a.tail.then(() => {
      a.waiting -= 1;
      return this.compute(ref, a, msg, config ?? this.config());
    });
    a.tail = computed.catch(() => undefined);
    return this.settle(ref, a, computed, started, msg.id);
  }

  /** The fast path: the object is in memory and nothing is ahead of this turn
   *  in its mailbox, so it computes at once, with no promise chain to wait on. */
  private runNow(ref: Ref, a: Activation, msg: Msg, config: TurnConfig | undefined, started: number): Promise<Effect[]> {
    let computing: Computed | Promise<Computed>;
    try {
      computing = this.compute(ref, a, msg, config ?? this.config());
    } catch (err) {
      return Promise.reject(err);
    }
    // Its builder hook runs on the script thread meanwhile: later turns of this object wait in its mailbox.
    if (computing instanceof Promise) return this.queue(ref, a, msg, config, started, computing);
    const computed = computing;
    if (!computed.write) {
      this.onTurn?.(ref, (performance.now() - started) * 1000);
      return Promise.resolve(computed.effects);
    }
    this.enter(a);
    // Known at once: only the write to wait for (settle's general path costs four promises more).
    const left = this.leaver(ref, a, started);
    return computed.write.then(() => {
      left();
      this.acknowledged(ref, a, msg.id, computed.kept!);
      return computed.effects;
    }, (err: unknown) => {
      left();
      throw err;
    });
  }

  /** What a turn that entered the mailbox does when it is over. */
  private leaver(ref: Ref, a: Activation, started: number): () => void {
    return () => {
      a.depth -= 1;
      this.depth -= 1;
      this.onTurn?.(ref, (performance.now() - started) * 1000);
    };
  }

  private enter(a: Activation): void {
    a.depth += 1;
    this.depth += 1;
  }

  /** The write that applied `msgId` is acknowledged. */
  private acknowledged(ref: Ref, a: Activation, msgId: string, kept: Effect[]): void {
    this.applied.note(ref, msgId, kept, Date.now());
    if (this.answersHere && a.record && this.active.get(ref) === a) answeredHere(a.record, msgId);
  }

  /** A turn's effects, once its write (if any) is acknowledged: the output gate. */
  private settle(ref: Ref, a: Activation, computed: Promise<Computed>, started: number, msgId: string): Promise<Effect[]> {
    const left = this.leaver(ref, a, started);
    return computed.then(async ({ effects, write, kept }) => {
      try {
        if (write) {
          await write;
          this.acknowledged(ref, a, msgId, kept!);
        } else {
          // A turn that wrote nothing computed on the state of turns whose writes may
          // still be in flight: what it tells must wait until that state is durable
          // (found by kill -9 with a timer's chime shown before its write landed).
          await a.writes.idle();
          if (a.stale) throw new FencedWriteError(ref, msgId);
        }
        return effects;
      } finally {
        left();
      }
    }, (err: unknown) => {
      left();
      throw err;
    });
  }

  private activation(ref: Ref): Activation {
    let a = this.active.get(ref);
    if (!a) {
      const fresh: Activation = {
        record: undefined, tail: Promise.resolve(), depth: 0, waiting: 0, lastUsed: Date.now(), loaded: false, stale: false, words: new NewestWords(),
        writes: new WriteQueue(this.store, ref, () => this.fence(ref, fresh)),
      };
      fresh.tail = this.store.get(ref).then((v) => {
        fresh.record = v?.value as unknown as ObjectRecord | undefined;
        fresh.writes.revision = v?.revision ?? 0;
        fresh.loaded = true;
        // What the record's window holds was applied, by whichever write (one whose answer was lost included),
        // and so was what it holds past the window until its deliverer has the answer (world/core/outbox-hold.ts).
        for (const [id, effects] of [...(fresh.record?.held ?? []), ...(fresh.record?.recent ?? [])]) this.applied.note(ref, id, effects, Date.now());
      }, (err: unknown) => {
        // Not read (a store cut off by a partition): no turn may compute on the empty state it holds (a
        // turn that writes nothing would release effects of an object that "does not exist"); the next loads again.
        this.fence(ref, fresh);
        throw err;
      });
      this.active.set(ref, fresh);
      a = fresh;
    }
    return a;
  }

  /** A write of `a` failed: later turns must not compute on its state. */
  private fence(ref: Ref, a: Activation): void {
    a.stale = true;
    if (this.active.get(ref) === a) this.active.delete(ref);
  }

  /** A turn computed, at once or (a builder hook running on the script thread) later. */
  private compute(ref: Ref, a: Activation, msg: Msg, config: TurnConfig): Computed | Promise<Computed> {
    if (a.stale) throw new FencedWriteError(ref, msg.id);
    a.lastUsed = Date.now();
    const applied = this.applied.find(ref, msg.id, a.lastUsed);
    if (applied) return { effects: appliedAgain(msg, applied) };
    // Turns waiting behind this one: the object is the bottleneck (its turns go one at a time), and waiting here
    // for its hook is the shortest way through it. None: this thread goes on with other work while the hook runs.
    const fresh = this.answersHere ? msg : a.words.fresh(msg);
    const outcome = !this.hooksLater || a.waiting > 0 ? runTurn(this.world, config, ref, a.record, fresh, a.lastUsed) : runTurnLater(this.world, config, ref, a.record, fresh, a.lastUsed);
    if (outcome instanceof Promise) {
      return outcome.then((later) => {
        // A write of an earlier turn failed while the hook ran: this turn computed on state the store does not have.
        if (a.stale) throw new FencedWriteError(ref, msg.id);
        return this.computed(a, msg, later);
      });
    }
    return this.computed(a, msg, outcome);
  }

  private computed(a: Activation, msg: Msg, outcome: TurnOutcome): Computed {
    this.turns += 1;
    if (!outcome.changed) return { effects: outcome.effects };
    a.record = outcome.record;
    this.writes += 1;
    const record = outcome.record!;
    return { effects: outcome.effects, write: a.writes.write(record as unknown as Json, msg.id), kept: record.recent.at(-1)![1] };
  }

  /** Drops cached objects matching `which` (their state is already in the store). Each is fenced first, and
   *  forgotten once its writes are done: a turn that reaches it meanwhile fails back to be delivered again,
   *  rather than a fresh copy being loaded while a write of this one may still land (the copy would lack it,
   *  and a message that write applied could be applied again). */
  async release(which: (ref: Ref) => boolean): Promise<void> {
    const gone: Promise<unknown>[] = [];
    for (const [ref, a] of this.active) {
      if (!which(ref)) continue;
      a.stale = true;
      gone.push(a.tail.then(() => a.writes.idle()).finally(() => {
        if (this.active.get(ref) === a) this.active.delete(ref);
      }));
    }
    await Promise.all(gone);
  }

  /** Passivates objects idle for `idleMs`: memory freed, state stays in the store. */
  passivateIdle(idleMs: number, now = Date.now()): number {
    let n = 0;
    for (const [ref, a] of this.active) {
      if (a.depth === 0 && now - a.lastUsed >= idleMs) {
        this.active.delete(ref);
        n += 1;
      }
    }
    return n;
  }

  stats(): HomedStats {
    return { activations: this.active.size, mailboxDepth: this.depth, turns: this.turns, writes: this.writes };
  }
}

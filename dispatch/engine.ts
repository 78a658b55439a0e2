import type { Effect, Json, Msg, Ref } from '../world/core/types.js';
import type { Dispatcher, LoadedWorld } from './dispatcher.js';
import type { EngineOptions } from './engine-options.js';
import type { ModeTable } from './mode-table.js';
import { Chains, type CommandTracker } from './command-tracker.js';
import { SwitchBarrier, type SwitchResult } from './switch-barrier.js';
import { LocalSwitching, type ModeSwitching, type SwitchHost, type TableChange } from './mode-switching.js';
import { TimerQueue } from './timer-queue.js';
import { isScriptTimer, TIMER_MSG } from '../world/core/timers.js';
import { APPLIED_AGAIN_LINE } from '../world/core/applied-again.js';
import { ScriptTimerGate } from './script-timer-gate.js';
import { Histogram } from '../support/histogram.js';
import { TurnLogLimiter } from './turn-log-limiter.js';
import { runsScript, scriptOf } from './object-script.js';
import { TurnFailures } from './turn-failures.js';
import { ModeDispatchers } from './mode-dispatchers.js';
import { MessageIds } from './message-ids.js';
import { toOutlet } from './player-effects.js';
import { Deliveries } from './deliveries.js';
import { ChainWriteBound } from './chain-write-bound.js';

/** How long a stop waits for the chains of messages under way to end (a script ping-pong could go on). */
const QUIESCE_MS = 10_000;

/** The gateway's game loop: turns a player's command into messages, sends each
 *  to the dispatcher its object's mode names, releases effects (lines to
 *  players, further messages), and knows when a command's whole chain of
 *  consequences is done, which is when the player gets the next prompt. */
export class Engine implements SwitchHost {
  /** Pending timers of every object, in every mode: this gateway fires them (docs/architecture/time.md). */
  readonly timers = new TimerQueue((ref, id) => this.fireTimer(ref, id));
  /** Builder scripts' due timers, fired within the world's budget for them (script-timer-budget.ts). */
  readonly scriptTimers: ScriptTimerGate;
  private readonly barrier: SwitchBarrier;
  /** Turns' log lines, bounded per script (a hook failing on every call). */
  private readonly turnLog: TurnLogLimiter;
  private table: ModeTable;
  private tableEpoch: number;
  private readonly switching: ModeSwitching;
  private world: LoadedWorld;
  /** Players' commands: how many, and how long from the line read to the last consequence (the status reads and resets it). */
  readonly commandLatency = new Histogram();
  /** Told of every player's command as it ends: whether it ran (false: refused during a switch) and how long it took (portal/metrics.ts). */
  onCommand: ((player: Ref, ran: boolean, micros: number) => void) | undefined;
  /** Where a committed timer goes: this gateway's queue, or (several gateways) the queue of the gateway that owns it. */
  private placeTimer: (ref: Ref, id: string, due: number) => void = (ref, id, due) => this.timers.add(ref, id, due);
  private readonly ids = new MessageIds();
  /** The messages this engine waits on the answer of, and the word each try carries (Msg.delivery). */
  private readonly deliveries = new Deliveries(this.ids.boot);
  /** Every command's or timer's chain of messages still under way. */
  private readonly chains = new Chains();
  /** Failed turns waiting to be tried again. */
  private readonly failures: TurnFailures;
  private readonly dispatchers: ModeDispatchers;
  /** What one chain's script turns may write before the rest waits for the world's budget (chain-write-bound.ts). */
  private readonly writes: ChainWriteBound;
  readonly prepare = (table: ModeTable): Promise<void> => this.dispatchers.prepare(table);
  /** Closed (shutdown): the retries stop once the chains under way had their time to end. */
  private closed = false;

  constructor(private readonly opts: EngineOptions) {
    this.table = opts.table;
    this.world = opts.world;
    this.barrier = new SwitchBarrier(opts.maxHeld ?? 50_000);
    this.turnLog = new TurnLogLimiter(opts.log);
    this.tableEpoch = opts.epoch ?? 1;
    this.dispatchers = new ModeDispatchers(opts.dispatchers, opts.prepare);
    this.dispatchers.stampEpoch(this.tableEpoch);
    this.switching = opts.switching?.(this) ?? new LocalSwitching(this);
    this.failures = new TurnFailures({
      deliver: (ref, msg, tracker, attempt, mustLand) => this.deliver(ref, msg, tracker, attempt, mustLand),
      deliveries: this.deliveries,
      track: () => this.chains.track(),
      refresh: () => this.switching.refresh(),
      timerDue: (ref, id, due) => this.timers.add(ref, id, due),
      outlet: opts.outlet, log: opts.log,
    });
    this.scriptTimers = new ScriptTimerGate((ref, id) => {
      const chain = this.fireTracked(ref, id);
      return chain.done.then(() => chain.wroteChars);
    }, (text) => opts.log.warn('turn', { text }), (ref) => scriptOf(this.world, ref), opts.scriptTimers);
    this.writes = new ChainWriteBound({
      scripted: (ref) => runsScript(this.world, ref),
      scriptOf: (ref) => scriptOf(this.world, ref),
      deliver: (to, msg, chain, reserved) => this.deliver(to, msg, chain, 0, true, reserved),
      track: () => this.chains.track(),
      wait: (to, run) => this.scriptTimers.defer(to, run),
      warn: (text) => opts.log.warn('turn', { text }),
    });
  }

  /** Sends committed timers elsewhere (cluster/cluster-timers.ts) instead of to this gateway's queue. */
  routeTimers(place: (ref: Ref, id: string, due: number) => void): void {
    this.placeTimer = place;
  }

  get modes(): ModeTable {
    return this.table;
  }

  /** The mode-table epoch this gateway routes by (status shows it). */
  get epoch(): number {
    return this.tableEpoch;
  }

  get currentWorld(): LoadedWorld {
    return this.world;
  }

  /** Runs a parsed command as the player; resolves when every consequence is done.
   *  Resolves `false` when the server is too busy switching to take it (nothing ran).
   *  `plain`: the player's client takes no out-of-band data (Msg.plain); `wizard`: the
   *  player is one, and is shown what a failing script says (Msg.wizard). */
  command(player: Ref, command: { verb: string; [field: string]: Json }, plain = false, wizard = false): Promise<boolean> {
    const started = performance.now();
    const msg: { type: string; [field: string]: Json } = { type: 'cmd', ...command };
    if (plain) msg.plain = true;
    if (wizard) msg.wizard = true;
    return this.start(player, msg).then((ran) => {
      const micros = (performance.now() - started) * 1000;
      if (ran) this.commandLatency.record(micros);
      this.onCommand?.(player, ran, micros);
      return ran;
    });
  }

  connect(player: Ref, plain = false): Promise<boolean> {
    return this.start(player, plain ? { type: 'connect', plain } : { type: 'connect' });
  }

  disconnect(player: Ref): Promise<boolean> {
    return this.start(player, { type: 'disconnect' });
  }

  /** Delivers a message again after a crash (see ops/recovery.ts); its target
   *  applies it at most once. Resolves when its consequences are done. */
  async redeliver(ref: Ref, msg: Msg): Promise<void> {
    const tracker = this.chains.track();
    this.deliver(ref, msg, tracker, 0, true);
    await tracker.done;
  }

  /** Delivers a due timer to its object, in whatever mode the object now runs; a
   *  builder script's waits for the world's budget for them first. */
  private fireTimer(ref: Ref, id: string): void {
    if (isScriptTimer(id)) this.scriptTimers.submit(ref, id);
    else this.fireTracked(ref, id);
  }

  /** Delivers a timer; its chain's tracker is done when the last consequence of its turn is. */
  private fireTracked(ref: Ref, id: string): CommandTracker {
    const tracker = this.chains.track();
    this.deliver(ref, { id, type: TIMER_MSG }, tracker, 0, false);
    return tracker;
  }

  private start(player: Ref, body: { type: string; [field: string]: Json | undefined }): Promise<boolean> {
    if (this.barrier.full) return Promise.resolve(false);
    const msg = { ...body, id: this.ids.next(), actor: player } as Msg;
    const tracker = this.chains.track();
    this.deliver(player, msg, tracker, 0, false);
    return tracker.done.then(() => {
      // A message of this command had been applied already, its answer lost: the player hears so once.
      if (tracker.foundApplied) this.opts.outlet.tell(player, APPLIED_AGAIN_LINE);
      return true;
    });
  }

  /** `mustLand`: the message is a committed turn's consequence (or a stranded one delivered again): what it
   *  carries (an item given, a player moved) has left its sender's record and exists nowhere else, so it is
   *  tried until it lands, however long its target is out of reach. A player's command, or a timer (still
   *  in its record), may fail: the player is told, the timer tried again later. `reserved`: the chain's bound on
   *  script state written counts this try as in flight until it ends (chain-write-bound.ts). */
  private deliver(ref: Ref, msg: Msg, tracker: CommandTracker, attempt: number, mustLand: boolean, reserved = false): void {
    tracker.open();
    let admitted = false;
    let held = false;
    this.barrier.admit(() => {
      admitted = true;
      const dispatcher = this.dispatcherFor(ref);
      // A home in this process needs no word: its entries are never held (dispatch/dispatcher.ts).
      const stamped = dispatcher.answersInProcess ? msg : this.deliveries.stamp(ref, msg);
      if (held) this.deliveries.done(ref, msg.id);
      const n = stamped.delivery?.n;
      // One reaction for either outcome (no `finally`: a promise and a microtask less per message).
      dispatcher.run(ref, stamped).then(
        (effects) => {
          try {
            this.release(ref, effects, tracker);
          } finally {
            this.ended(ref, n, reserved, tracker);
          }
        },
        (err: unknown) => {
          try {
            this.failures.failed(ref, msg, tracker, attempt, mustLand, err);
          } finally {
            this.ended(ref, n, reserved, tracker);
          }
        },
      );
    });
    // Held by the barrier (a live switch): waiting until it is stamped, then in flight until it ends.
    if (!admitted) {
      held = true;
      this.deliveries.wait(ref, msg.id);
    }
  }

  /** A try of a message is over, its effects released or its failure handled: out of the barrier and of flight. */
  private ended(ref: Ref, n: number | undefined, reserved: boolean, tracker: CommandTracker): void {
    this.barrier.done();
    if (n !== undefined) this.deliveries.ended(ref, n);
    if (reserved) this.writes.settled(tracker);
    tracker.close();
  }

  /** The dispatcher the object's turns go to now. */
  dispatcherFor(ref: Ref): Dispatcher {
    return this.dispatchers.of(this.table, ref);
  }

  private release(ref: Ref, effects: Effect[], tracker: CommandTracker): void {
    for (const e of effects) {
      switch (e.t) {
        case 'send': this.writes.send(ref, e.to, e.msg, tracker); break;
        case 'log': this.turnLog.write(e.level, scriptOf(this.world, ref), ref, e.text); break;
        case 'timer': this.placeTimer(e.ref, e.id, e.due); break;
        case 'again': tracker.foundApplied = true; break;
        case 'wrote': tracker.wroteChars += e.chars; break;
        default: toOutlet(this.opts.outlet, e);
      }
    }
  }

  /** The live switch: barrier, drain, release caches of objects changing mode,
   *  flip the table, resume; across every gateway when the table is the cluster's.
   *  Returns how long new turns were held here. */
  async switchTo(change: TableChange): Promise<SwitchResult> {
    return this.switching.switchTo(change);
  }

  check(table: ModeTable): void {
    this.dispatchers.check(table);
  }

  /** A world reload: the same barrier (and protocol), so no turn straddles two worlds. */
  async setWorld(world: LoadedWorld): Promise<SwitchResult> {
    return this.switching.reload(world);
  }

  hold(step: () => Promise<void>, yieldQueued: boolean): Promise<SwitchResult> {
    return this.barrier.hold(step, yieldQueued ? () => this.dispatchers.yieldQueued() : undefined);
  }

  async adopt(table: ModeTable, epoch: number): Promise<void> {
    await this.dispatchers.prepare(table); // started already by a switch from this gateway; a cluster's table may come from another
    this.dispatchers.stampEpoch(epoch);
    await this.dispatchers.release(table);
    this.table = table;
    this.tableEpoch = epoch;
  }

  async applyWorld(world: LoadedWorld): Promise<void> {
    await this.dispatchers.setWorld(world);
    this.world = world;
  }

  /** Waits for every chain of messages under way to end, not only the turns running now: a turn's
   *  consequences (a `drop` after a `give`) are messages still to deliver, and a stop that left them
   *  would strand what they carry (shutdown and upgrade, after `close()` stopped the timers). False
   *  when some chain was still going at `deadlineMs`; after `close()`, its messages waiting to be tried
   *  again are then dropped (the process is stopping). */
  async quiesce(deadlineMs = QUIESCE_MS): Promise<boolean> {
    const settled = await this.chains.settled(deadlineMs);
    await this.barrier.hold(async () => undefined);
    if (this.closed) this.failures.stop();
    return settled;
  }

  /** Fires no more timers (shutdown); they stay pending in their records. */
  close(): void {
    this.closed = true;
    this.timers.stop();
    this.scriptTimers.stop();
    this.turnLog.stop();
    this.switching.close();
  }

  get heldCount(): number {
    return this.barrier.heldCount;
  }
}

import type { Effect, Json, Msg, Ref } from './types.js';

// Durable timers, the turn's half. A timer is part of its object's record
// (`timers`), so it is committed with the turn that set it (nothing fires for a
// turn that did not commit) and survives whatever the record survives: restarts,
// kill -9, node death, live switches, reloads. Firing is a message like any
// other, `{ type: 'timer', id }`, and the turn that receives it removes the
// timer from the record as it runs the stored message: once removed it cannot
// fire again, whoever delivers the id a second time. Who delivers it is the
// gateway's timer queue (dispatch/timer-queue.ts); see docs/architecture/time.md.

/** [timer id, due (ms since the epoch), the message to deliver to the object itself]. */
export type PendingTimer = [string, number, Msg];

/** The message type that fires a timer: sent by the engine only. */
export const TIMER_MSG = 'timer';
/** Pending timers one object may hold: a record carries them on every write. */
export const MAX_TIMERS_PER_OBJECT = 64;
/** How often one object's timers may fire, sustained: a chain of `ctx.after(0)`
 *  would otherwise run its object's turns (and their writes) as fast as the
 *  server can, a storm from one script. Combat rounds (2 s) and wanderers (30 s)
 *  are far below it. */
export const TIMER_FIRES_PER_SECOND = 5;
/** Timers of one object that may fire at once, when it has been quiet. */
export const TIMER_BURST = 10;
/** A throttled object's warning to the builder's log comes at most this often. */
export const TIMER_WARN_EVERY_MS = 60_000;
const FIRE_INTERVAL_MS = 1000 / TIMER_FIRES_PER_SECOND;
const BURST_TOLERANCE_MS = (TIMER_BURST - 1) * FIRE_INTERVAL_MS;

/** An object's timer pace, kept in its record while it matters: [when its timers
 *  are back to a full burst (the generic cell rate algorithm's theoretical
 *  arrival time), until when its throttling is not logged again]. */
export type TimerPace = [number, number];

/** The longest delay: a week. Longer waits belong in the world's data, not a timer. */
export const MAX_DELAY_MS = 7 * 24 * 3_600_000;

/** The prefix of the timer ids a turn creates: a hash of its message id, so a
 *  re-run turn makes the same ids, and ids stay short however long a chain of
 *  timers (a fight's rounds) grows. Two FNV-1a passes: 64 bits. */
export function timerBase(msgId: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ msgId.length;
  for (let i = 0; i < msgId.length; i++) {
    const c = msgId.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  return `t${(a >>> 0).toString(36)}${(b >>> 0).toString(36)}`;
}

/** Whether a timer id is a builder script's (`<base>s<n>`, made by `ctx.after` in a
 *  script) rather than the engine's own (`<base>k<n>`): the last letter before the
 *  number says, whatever the base's base-36 digits are. */
export function isScriptTimer(id: string): boolean {
  return /s\d+$/.test(id);
}

/** The timers of one object during one turn: copied on the first change, so a
 *  turn that sets none costs nothing and leaves the record's list shared. */
export class TurnTimers {
  private list: PendingTimer[] | undefined;
  private copied = false;
  private made = 0;
  /** Timers set by this turn, announced to the timer queue once it commits. */
  readonly announced: Effect[] = [];

  private baseId: string | undefined;
  private paced = false;
  /** When a timer `take` held back may fire. */
  heldUntil = 0;

  /** `msgId`: the turn's message id, from which its timer ids derive (hashed only when a timer is made).
   *  `pace`: the object's timer pace from its record. */
  constructor(
    initial: PendingTimer[] | undefined, private readonly self: Ref, private readonly msgId: string, private pace?: TimerPace,
  ) {
    this.list = initial;
  }

  /** The prefix of this turn's timer ids: the same on a re-run of the turn. */
  get base(): string {
    return (this.baseId ??= timerBase(this.msgId));
  }

  get changed(): boolean {
    return this.copied || this.paced;
  }

  /** The pace to store at `now`: none once it no longer holds anything back nor silences a warning. */
  paceAt(now: number): TimerPace | undefined {
    return this.pace && (this.pace[0] > now || this.pace[1] > now) ? this.pace : undefined;
  }

  /** The list to store: undefined when empty, so objects without timers carry no field. */
  get pending(): PendingTimer[] | undefined {
    return this.list && this.list.length > 0 ? this.list : undefined;
  }

  /** Sets a timer with an id of the turn's own making (`k<n>` for handlers, `s<n>` for scripts). */
  add(id: string, ms: number, msg: Msg, now: number): string | undefined {
    if (!Number.isFinite(ms) || ms < 0 || ms > MAX_DELAY_MS) return `a timer's delay must be 0..${MAX_DELAY_MS} ms, got ${ms}`;
    if ((this.list?.length ?? 0) >= MAX_TIMERS_PER_OBJECT) return `${this.self} already has ${MAX_TIMERS_PER_OBJECT} pending timers (the limit; ctx.cancel frees one)`;
    if (this.list?.some(([other]) => other === id)) return `timer ${id} is already pending`;
    const due = Math.ceil(now + ms);
    this.own().push([id, due, { ...msg, id }]);
    this.announced.push({ t: 'timer', ref: this.self, id, due });
    return undefined;
  }

  /** The next id for a handler's timer. */
  nextId(): string {
    this.made += 1;
    return `${this.base}k${this.made}`;
  }

  cancel(id: string): boolean {
    const i = this.list?.findIndex(([other]) => other === id) ?? -1;
    if (i < 0) return false;
    this.own().splice(i, 1);
    const a = this.announced.findIndex((e) => e.t === 'timer' && e.id === id);
    if (a >= 0) this.announced.splice(a, 1);
    return true;
  }

  /** Takes the timer a `timer` message fires: its message; 'early' when it is
   *  not yet due (it stays, and is announced again); 'held' when its object's
   *  timers fire too often (it stays, and fires at `heldUntil`); or undefined
   *  when it is not pending (fired already, or cancelled). */
  take(id: string, now: number): Msg | 'early' | 'held' | undefined {
    const i = this.list?.findIndex(([other]) => other === id) ?? -1;
    if (i < 0) return undefined;
    const [, due, msg] = this.list![i];
    if (due > now) return 'early';
    const theoretical = Math.max(this.pace?.[0] ?? now, now);
    if (theoretical - now > BURST_TOLERANCE_MS) {
      this.heldUntil = Math.ceil(theoretical - BURST_TOLERANCE_MS);
      return 'held';
    }
    this.own().splice(i, 1);
    this.pace = [theoretical + FIRE_INTERVAL_MS, this.pace?.[1] ?? 0];
    this.paced = true;
    return msg;
  }

  /** A warning for the builder's log when this turn's fire used the object's last
   *  one at once (the next will wait), at most once a `TIMER_WARN_EVERY_MS`. */
  throttleWarning(now: number): string | undefined {
    if (!this.paced || !this.pace || this.pace[0] - now <= BURST_TOLERANCE_MS || this.pace[1] > now) return undefined;
    this.pace = [this.pace[0], now + TIMER_WARN_EVERY_MS];
    return `timers of ${this.self} fire more often than ${TIMER_FIRES_PER_SECOND} a second (${TIMER_BURST} at once): `
      + 'the rest wait their turn (a hook that sets ctx.after(0) again each time it runs?)';
  }

  dueOf(id: string): number | undefined {
    return this.list?.find(([other]) => other === id)?.[1];
  }

  private own(): PendingTimer[] {
    if (!this.copied) {
      this.list = this.list ? this.list.slice() : [];
      this.copied = true;
    }
    return this.list!;
  }
}

/** The pending timers of a stored record, for the queue's rebuild after a restart. */
export function timersOf(record: Json | undefined): Array<{ id: string; due: number }> {
  const timers = (record as { timers?: unknown } | null | undefined)?.timers;
  if (!Array.isArray(timers)) return [];
  const out: Array<{ id: string; due: number }> = [];
  for (const t of timers) {
    if (Array.isArray(t) && typeof t[0] === 'string' && typeof t[1] === 'number') out.push({ id: t[0], due: t[1] });
  }
  return out;
}

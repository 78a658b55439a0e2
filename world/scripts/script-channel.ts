// The shared memory a turn thread and its script thread (script-thread.ts,
// script-worker.ts) talk through, synchronously: one request at a time, the
// turn thread blocked in Atomics.wait until the answer or the budget's end.
// Strings cross as UTF-8 in one fixed region: no message port, no event loop.

/** Who holds the channel: the turn thread writes REQUEST and HERE, the script thread NEED_HERE and DONE. */
export enum Slot { IDLE = 0, REQUEST = 1, NEED_HERE = 2, HERE = 3, DONE = 4 }
export enum Op { COMPILE = 1, CALL = 2, FREE = 3 }
/** How a request came out: `Ran` of script-sandbox.ts, or a compile's answer. */
export enum Status { TEXT = 0, LIMIT = 1, THROWN = 2, FAILED = 3 }

const STATE = 0, OP = 1, ID = 2, LENGTH = 3, STATUS = 4, READY = 5, TID = 6, SPENT = 7;
const HEADER_BYTES = 64;
/** Largest request or answer: a turn's input (state, message) or output (MAX_OUTPUT_CHARS of JSON). */
export const CHANNEL_BYTES = 4 * 1024 * 1024;

/** Atomics.waitAsync (V8 8.7, Node 16 on): the TypeScript lib this project targets predates it. */
interface AtomicsWaitAsync {
  waitAsync(ta: Int32Array, index: number, value: number, ms: number): { async: false; value: string } | { async: true; value: Promise<string> };
}

export class Channel {
  readonly ctl: Int32Array;
  private readonly data: Buffer;

  constructor(readonly sab: SharedArrayBuffer = new SharedArrayBuffer(HEADER_BYTES + CHANNEL_BYTES)) {
    this.ctl = new Int32Array(sab, 0, HEADER_BYTES / 4);
    this.data = Buffer.from(sab, HEADER_BYTES, CHANNEL_BYTES);
  }

  get state(): Slot { return Atomics.load(this.ctl, STATE); }
  get op(): Op { return this.ctl[OP]; }
  get id(): number { return this.ctl[ID]; }
  get status(): Status { return this.ctl[STATUS]; }

  /** Writes the text and hands the channel over; false when the text does not fit. */
  send(state: Slot, text: string, op = 0, id = 0, status = 0): boolean {
    if (text.length * 3 > CHANNEL_BYTES && Buffer.byteLength(text) > CHANNEL_BYTES) return false;
    this.ctl[LENGTH] = this.data.write(text, 0, 'utf8');
    this.ctl[OP] = op;
    this.ctl[ID] = id;
    this.ctl[STATUS] = status;
    Atomics.store(this.ctl, STATE, state);
    Atomics.notify(this.ctl, STATE);
    return true;
  }

  text(): string {
    return this.data.toString('utf8', 0, this.ctl[LENGTH]);
  }

  /** Blocks while the channel is in `state`, at most `ms` (Infinity: for good); the state now. */
  waitWhile(state: Slot, ms: number): Slot {
    Atomics.wait(this.ctl, STATE, state, ms);
    return this.state;
  }

  /** Resolves once the channel leaves `state`, or after `ms` (at once if it has left already): on the event loop, not blocking it. */
  changed(state: Slot, ms: number): Promise<unknown> {
    return this.whileAt(STATE, state, ms);
  }

  /** The script thread's Linux thread id (0 elsewhere): its CPU time is read from /proc when a call runs long. */
  get tid(): number { return Atomics.load(this.ctl, TID); }

  /** Set by the script thread once its WebAssembly memory is (nearly) full: only a new thread gives it back. */
  get spent(): boolean { return Atomics.load(this.ctl, SPENT) === 1; }

  markSpent(): void {
    Atomics.store(this.ctl, SPENT, 1);
  }

  markReady(tid: number): void {
    Atomics.store(this.ctl, TID, tid);
    Atomics.store(this.ctl, READY, 1);
    Atomics.notify(this.ctl, READY);
  }

  /** The script thread is up (it has loaded QuickJS) and takes requests. */
  get ready(): boolean {
    return Atomics.load(this.ctl, READY) === 1;
  }

  waitReady(ms: number): boolean {
    return Atomics.wait(this.ctl, READY, 0, ms) !== 'timed-out' || this.ready;
  }

  /** Resolves once the script thread is up, or after `ms`: on the event loop, not blocking it. */
  readyLater(ms: number): Promise<unknown> {
    return this.whileAt(READY, 0, ms);
  }

  /** Resolves once word `index` leaves `value`, or after `ms` (at once if it has left already). */
  private whileAt(index: number, value: number, ms: number): Promise<unknown> {
    const waited = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.ctl, index, value, ms);
    return waited.async ? waited.value : Promise.resolve(waited.value);
  }
}

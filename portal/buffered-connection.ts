import type { InputProblem } from './connection.js';
import { InputBudget, MAX_INPUT_DEBT_MS, type InputLimits } from './input-budget.js';
import { onNextPulse, type Pulsed } from './output-pulse.js';
import type { DataDemand } from './data-demand.js';

/** The longest output queue kept for the next write: a crowded room's pulse queues dozens of lines. */
const KEPT_QUEUE_SLOTS = 1024;

/** What every Connection shares whatever carries it: the input handlers, the
 *  input budget (reading paused while over it), and output queued and sent as
 *  one write: the answer to the player's command with its prompt at the end of
 *  the iteration that finished it, anything else on the output pulse. */
export abstract class BufferedConnection<Chunk> implements Pulsed {
  protected closed = false;
  protected problemHandler: (p: InputProblem) => void = () => undefined;
  private onLineHandler: (line: string) => void = () => undefined;
  private readonly closeHandlers: Array<() => void> = [];
  /** What waits to be sent: the first `outCount` slots. The array is kept from one write to the next (slots
   *  cleared, its length kept): a busy room queues dozens of lines per pulse on every connection, and an array
   *  grown afresh for each write was the largest allocation of a line's fan-out (docs/BENCHMARKS.md). */
  private out: Chunk[] = [];
  private outCount = 0;
  /** The other array, while `out` is being sent; undefined while a send is under way (a write re-entered then takes a new one). */
  private spare: Chunk[] | undefined = [];
  private scheduled = false;
  /** Output is held while the player's own command runs (see `hold`). */
  private holding = false;
  /** In play: output nobody is waiting for goes on the output pulse (see `paceOutput`). */
  private paced = false;
  private readonly budget: InputBudget;
  /** Reading stopped because output backs up (the session's backpressure). */
  private outputPaused = false;
  /** Reading stopped because the peer sent over its budget. */
  private throttle: NodeJS.Timeout | undefined;
  /** Where this connection counts while it takes out-of-band data (see `takesData`). */
  private demand: DataDemand | undefined;
  private takingData = false;
  /** Reading stopped for good in this process: the socket is being handed to a successor. */
  protected handing = false;

  constructor(limits: InputLimits) {
    this.budget = new InputBudget(limits);
  }

  /** Counts this connection in `demand` while it takes out-of-band data, from now until it closes. */
  countIn(demand: DataDemand): void {
    if (this.takingData) demand.taking(true);
    this.demand = demand;
  }

  get takesData(): boolean {
    return this.takingData;
  }

  /** The protocol agreed (or stopped) to carry out-of-band data. */
  protected setTakesData(on: boolean): void {
    if (on === this.takingData || (on && this.closed)) return;
    this.takingData = on;
    this.demand?.taking(on);
  }

  onLine(handler: (line: string) => void): void {
    this.onLineHandler = handler;
  }

  onProblem(handler: (p: InputProblem) => void): void {
    this.problemHandler = handler;
  }

  pause(): void {
    this.outputPaused = true;
    this.pauseReading();
  }

  resume(): void {
    this.outputPaused = false;
    if (!this.closed && !this.throttle && !this.handing) this.resumeReading();
  }

  /** Stops reading for good in this process (`mud upgrade`): what Node had read is
   *  parsed now, into lines and the state handed on; the rest stays in the kernel. */
  holdInput(): void {
    this.handing = true;
    clearTimeout(this.throttle);
    this.throttle = undefined;
    this.stopInput();
  }

  protected abstract stopInput(): void;

  protected abstract pauseReading(): void;
  protected abstract resumeReading(): void;

  protected lineHandler(line: string): void {
    this.budget.line();
    this.onLineHandler(line);
  }

  /** Input that is not a line but still costs a unit of the budget (a telnet
   *  command, a WebSocket ping or pong). True when it is within the budget, so
   *  worth an answer: a chunk is parsed whole before reading pauses, and what
   *  it asks for beyond the budget is not answered. Far beyond, the peer is dropped now. */
  protected charge(): boolean {
    const debt = this.budget.line();
    if (debt > MAX_INPUT_DEBT_MS && !this.closed) this.problemHandler('flood');
    return debt === 0;
  }

  /** Called after each chunk read from the peer: over budget, stop reading for
   *  a while; over it for too long (see MAX_INPUT_DEBT_MS), the peer is dropped. */
  protected received(bytes: number): void {
    const wait = this.budget.chunk(bytes);
    if (wait === 0 || this.closed) return;
    if (this.budget.exhausted()) return this.problemHandler('flood');
    this.pauseReading();
    clearTimeout(this.throttle);
    this.throttle = setTimeout(() => {
      this.throttle = undefined;
      if (!this.closed && !this.outputPaused && !this.handing) this.resumeReading();
    }, wait);
    this.throttle.unref();
  }

  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }

  /** `flush` for setImmediate: one closure per connection, not one per tick or command. */
  private readonly flushSoon = (): void => this.flush();

  /** Sends everything queued now, as one write. */
  protected flush(): void {
    this.scheduled = false;
    const count = this.outCount;
    if (count === 0) return;
    const chunks = this.out;
    this.out = this.spare ?? [];
    this.spare = undefined;
    this.outCount = 0;
    this.send(chunks, count);
    chunks.fill(undefined as Chunk, 0, count); // keeps no chunk alive until the next write
    // A rare burst (a long command's output held back) is not kept as every later write's capacity.
    if (count <= KEPT_QUEUE_SLOTS) this.spare ??= chunks;
  }

  protected queue(chunk: Chunk): void {
    if (this.closed) return;
    this.out[this.outCount++] = chunk;
    if (this.scheduled || this.holding) return;
    this.scheduled = true;
    if (this.paced) onNextPulse(this);
    else setImmediate(this.flushSoon);
  }

  /** Called once the player is in the world. Until then (option negotiation, the
   *  login dialogue) every answer goes at the end of its iteration. */
  paceOutput(): void {
    this.paced = true;
  }

  /** The output pulse: what waits goes now, unless a command of the player's
   *  runs (its end sends everything, prompt last). */
  pulse(): void {
    if (this.holding) this.scheduled = false;
    else this.flush();
  }

  /** While the player's command runs its turns over several loop iterations
   *  (a move: the player, the room left, the room entered), what it and the
   *  room say to this player waits, and leaves with the prompt in one write
   *  instead of one write per iteration. */
  hold(): void {
    this.holding = true;
  }

  release(): void {
    this.holding = false;
    if (this.outCount > 0) setImmediate(this.flushSoon);
  }

  /** Sends the first `count` of `chunks` as one write, now: the array is used again once this returns. */
  protected abstract send(chunks: readonly Chunk[], count: number): void;

  protected closedByPeer(): void {
    this.setTakesData(false);
    this.closed = true;
    clearTimeout(this.throttle);
    for (const h of this.closeHandlers.splice(0)) h();
  }
}

// The party's guests: bots in one room, emoting open loop at a fixed total
// rate. Each emote carries a stamp `~sender.seq.micros~` (micros: when it was
// due, so a stalled sender still counts its delay), and every guest that reads
// it records the delay from then to its arrival. Per sender, emotes reach each
// guest in order (a session runs one command at a time), so a stamp seen twice
// is a duplicate and a gap is a loss.

import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { Histogram } from '../support/histogram.js';
import { sleep } from './scenario.js';

const STAMP = /~(\d+)\.(\d+)\.(\d+)~/g;
const IAC = 255;
const GA = 249;
const EOR = 239;
const REFUSALS = ['The world is busy', 'The world shudders', 'sending commands too fast', 'Too many commands are waiting'];

export interface PartyFigures {
  sent: number;
  /** Emotes due in the window, and deliveries of them to guests other than the sender. */
  windowSent: number;
  deliveries: number;
  latency: Histogram;
  lost: number;
  duplicated: number;
  refused: number;
  /** Commands still unanswered when the party stopped waiting. */
  unanswered: number;
}

export class PartyBots {
  private readonly n: number;
  private readonly seq: Int32Array;
  private readonly lastSeen: Int32Array;
  private readonly received: Int32Array;
  private readonly carry: string[];
  private readonly iacAtEnd: Uint8Array;
  private prompts = 0;
  private readonly answered: Int32Array;
  /** Answered emotes per sender when the party stopped: the ones that must have arrived. */
  private answeredAtStop: Int32Array | undefined;
  private refused = 0;
  private sent = 0;
  private duplicated = 0;
  private window = { from: Infinity, to: Infinity, sent: 0, deliveries: 0 };
  private readonly latency = new Histogram();
  private timer: NodeJS.Timeout | undefined;
  /** Guests whose connection went with a gateway killed on purpose: they neither emote nor count. */
  private readonly retired: Uint8Array;

  /** Takes the clients over from TelnetClient: from here on this reads their sockets. */
  constructor(private readonly clients: TelnetClient[]) {
    const n = (this.n = clients.length);
    this.seq = new Int32Array(n);
    this.lastSeen = new Int32Array(n * n);
    this.received = new Int32Array(n * n);
    this.carry = new Array<string>(n).fill('');
    this.iacAtEnd = new Uint8Array(n);
    this.answered = new Int32Array(n);
    this.retired = new Uint8Array(n);
    clients.forEach((c, r) => {
      c.drain();
      c.socket.removeAllListeners('data');
      c.socket.on('data', (chunk: Buffer) => this.receive(r, chunk));
    });
  }

  /** Emotes at `rate` a second in total, the guests taking turns. */
  start(rate: number): void {
    const t0 = performance.now();
    let issued = 0;
    this.timer = setInterval(() => {
      const due = Math.min(Math.floor(((performance.now() - t0) * rate) / 1000), issued + 2000);
      for (; issued < due; issued++) this.emote(issued % this.n, t0 + (issued * 1000) / rate);
    }, 5);
  }

  /** These guests' gateway was killed: from now on they send nothing and lost/duplicate counts leave them out. */
  retire(bots: Iterable<number>): void {
    for (const b of bots) this.retired[b] = 1;
  }

  /** Latency and delivery counts cover emotes due from now until `endWindow`. */
  beginWindow(): void {
    this.window = { from: performance.now(), to: Infinity, sent: 0, deliveries: 0 };
    this.latency.reset();
  }

  endWindow(): number {
    this.window.to = performance.now();
    return (this.window.to - this.window.from) / 1000;
  }

  /** Stops emoting and waits (up to `timeoutMs`) for every emote to be answered and delivered. */
  async stop(timeoutMs: number): Promise<void> {
    clearInterval(this.timer);
    for (let waited = 0; this.prompts < this.sent && waited < timeoutMs; waited += 50) await sleep(50);
    this.answeredAtStop = Int32Array.from(this.answered);
    // Lines to the other guests leave with the sender's prompt but travel on other
    // sockets: give them a moment before an answered emote counts as lost.
    await sleep(1000);
  }

  /** An emote whose sender got its prompt has been delivered to every other
   *  guest (a command is answered only once all it caused is out), so only
   *  answered emotes can be lost; the rest are late (`unanswered`). */
  figures(sharded: boolean): PartyFigures {
    const answered = this.answeredAtStop ?? this.answered;
    let lost = 0;
    for (let r = 0; r < this.n; r++) {
      if (this.retired[r]) continue;
      for (let s = 0; s < this.n; s++) {
        if (this.retired[s]) continue;
        const got = this.received[r * this.n + s];
        // Sharded, a guest hears only its shard: who shares a room shows in who heard whom.
        if (r !== s && (!sharded || got > 0)) lost += Math.max(0, answered[s] - got);
      }
    }
    return {
      sent: this.sent, windowSent: this.window.sent, deliveries: this.window.deliveries, latency: this.latency,
      lost, duplicated: this.duplicated, refused: this.refused, unanswered: Math.max(0, this.sent - this.prompts),
    };
  }

  private emote(bot: number, due: number): void {
    if (this.retired[bot]) return;
    const seq = ++this.seq[bot];
    this.sent += 1;
    if (due >= this.window.from && due < this.window.to) this.window.sent += 1;
    this.clients[bot].send(`emote waves ~${bot}.${seq}.${Math.round(due * 1000)}~`);
  }

  private receive(r: number, chunk: Buffer): void {
    this.countPrompts(r, chunk);
    const text = this.carry[r] + chunk.toString('latin1');
    const end = text.lastIndexOf('\n');
    // Lines end in "\n": keep a partial last line for the next chunk.
    this.carry[r] = end < 0 ? text : text.slice(end + 1);
    if (end < 0) return;
    const now = performance.now();
    STAMP.lastIndex = 0;
    for (let m = STAMP.exec(text); m && m.index < end; m = STAMP.exec(text)) {
      this.stamp(r, Number(m[1]), Number(m[2]), Number(m[3]) / 1000, now);
    }
    if (text.includes('The world') || text.includes('too fast') || text.includes('Too many')) {
      for (const refusal of REFUSALS) if (text.includes(refusal)) this.refused += 1;
    }
  }

  private stamp(r: number, s: number, seq: number, due: number, now: number): void {
    if (s >= this.n || r === s) return; // a guest's own emote echoed back is not a delivery
    const pair = r * this.n + s;
    if (seq <= this.lastSeen[pair]) {
      this.duplicated += 1;
      return;
    }
    this.lastSeen[pair] = seq;
    this.received[pair] += 1;
    if (due >= this.window.from && due < this.window.to) {
      this.window.deliveries += 1;
      this.latency.recordMs(now - due);
    }
  }

  /** Prompts (IAC GA or IAC EOR) mark answered commands; IAC may end one chunk and its command start the next. */
  private countPrompts(r: number, chunk: Buffer): void {
    if (this.iacAtEnd[r] && (chunk[0] === GA || chunk[0] === EOR)) this.prompted(r);
    this.iacAtEnd[r] = 0;
    for (let i = chunk.indexOf(IAC); i >= 0; i = chunk.indexOf(IAC, i + 2)) {
      if (i === chunk.length - 1) this.iacAtEnd[r] = 1;
      else if (chunk[i + 1] === GA || chunk[i + 1] === EOR) this.prompted(r);
    }
  }

  private prompted(r: number): void {
    this.prompts += 1;
    this.answered[r] += 1;
  }
}

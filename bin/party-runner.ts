import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { Logger } from '../support/logger.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import type { PartyRunner } from './party.js';
import type { SwarmResult } from '../bots/swarm-stats.js';

export interface ChildPartyOptions {
  /** The server's own telnet port and address: the guests connect there. */
  telnetPort: () => number;
  host: string;
  log: Logger;
  /** The world the server runs, for the guests' routes. */
  world: string;
  /** The compiled CLI; default dist/bin/mud.js in this package. */
  mudJs?: string;
}

interface Party {
  child: ChildProcess;
  guests: number;
  room: string;
  rate: number;
  stopping: boolean;
  exited: Promise<void>;
}

const MAX_GUESTS = 26 ** 3;
import { RAID_ROOM } from '../bots/bot-swarm.js';
const STOP_GRACE_MS = 30_000;

/** Throws parties with `mud bots` in a child process: the guests are real telnet
 *  players that do not share the server's event loop. One party at a time. */
export class ChildPartyRunner implements PartyRunner {
  private party: Party | undefined;

  constructor(private readonly opts: ChildPartyOptions) {}

  async handle(request: { guests?: number; room?: string; rate?: number; stop?: boolean; raid?: boolean }): Promise<{ message: string }> {
    if (request.stop) {
      const p = this.party;
      if (!p) return { message: 'no party is running' };
      await this.stop();
      return { message: `party stopped: ${p.guests} guests went home` };
    }
    if (this.party) throw new Error(`a party of ${this.party.guests} is already running in ${this.party.room}; stop it first`);
    // A raid: the guests gather in the boss's den and attack it (see `mud bots --raid`).
    const { guests = 1000, room = request.raid ? RAID_ROOM : 'mystical_plaza', rate = 0.5 } = request;
    if (!Number.isInteger(guests) || guests < 1 || guests > MAX_GUESTS) throw new Error(`"guests" must be a whole number from 1 to ${MAX_GUESTS}`);
    if (typeof rate !== 'number' || !(rate > 0 && rate <= 10)) throw new Error('"rate" must be a number above 0 and at most 10 commands per second');
    if (typeof room !== 'string' || !/^[a-z0-9_]+$/i.test(room)) throw new Error('"room" must be a room id such as mystical_plaza');
    this.party = this.start(guests, room, rate, !!request.raid);
    this.opts.log.info(request.raid ? 'raid started' : 'party started', { guests, room, rate, pid: this.party.child.pid });
    if (request.raid) return { message: `raid started: ${guests} guests attacking the boss in ${room}` };
    return { message: `party started: ${guests} guests arriving in ${room}, ${rate} commands/s each` };
  }

  /** Asks the guests to leave (each quits cleanly), and kills the child if it dawdles. */
  async stop(): Promise<void> {
    const p = this.party;
    if (!p) return;
    p.stopping = true;
    p.child.kill('SIGTERM');
    const timer = setTimeout(() => p.child.kill('SIGKILL'), STOP_GRACE_MS);
    await p.exited;
    clearTimeout(timer);
    this.opts.log.info('party stopped', { guests: p.guests, room: p.room });
  }

  private start(guests: number, room: string, rate: number, raid: boolean): Party {
    const host = this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host === '::' ? '::1' : this.opts.host;
    const args = [
      this.opts.mudJs ?? join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js'), 'bots', '--count', String(guests), '--room', room, '--rate', String(rate),
      '--duration', '0', '--host', host, '--telnet-port', String(this.opts.telnetPort()), '--guest',
      '--world', this.opts.world, '--json', ...(raid ? ['--raid'] : []),
    ];
    // The IPC channel is a lifeline: if the server dies, the child sees 'disconnect' and sends its guests home.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let stdout = '';
    child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
    lines(child.stderr!, (line) => this.progress(line));
    const party: Party = { child, guests, room, rate, stopping: false, exited: Promise.resolve() };
    party.exited = new Promise((resolve) => {
      child.once('error', (err) => {
        this.opts.log.error('party failed', { why: err.message });
        resolve();
      });
      child.once('exit', (code, signal) => {
        this.ended(party, stdout, code, signal);
        resolve();
      });
    });
    return party;
  }

  private progress(line: string): void {
    const m = /^(\w+) (\d+)% \((\d+)\/(\d+)\)$/.exec(line);
    if (m) this.opts.log.info('party progress', { phase: m[1], pct: Number(m[2]), done: Number(m[3]), total: Number(m[4]) });
    else if (line.trim()) this.opts.log.warn('party says', { line: line.slice(0, 200) });
  }

  private ended(p: Party, stdout: string, code: number | null, signal: string | null): void {
    if (this.party === p) this.party = undefined;
    let r: SwarmResult | undefined;
    try {
      r = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as SwarmResult;
    } catch {
      r = undefined;
    }
    const figures = r ? {
      placed: r.placed, arrivalSec: Math.round(r.arrivalMs / 100) / 10, runSec: Math.round(r.runMs / 100) / 10, sent: r.sent, answered: r.answered, errors: r.errors,
      p50Ms: Math.round(r.latencyUs.p50 / 100) / 10, p99Ms: Math.round(r.latencyUs.p99 / 100) / 10, answersPerSec: r.answersPerSec,
    } : {};
    const level = r && r.errors === 0 ? 'info' : 'warn';
    this.opts.log[level]('party ended', { guests: p.guests, code, signal: signal ?? undefined, ...figures, firstError: r?.firstErrors[0] });
  }
}

function lines(stream: NodeJS.ReadableStream, each: (line: string) => void): void {
  let buffered = '';
  stream.on('data', (d: Buffer) => {
    buffered += d.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) each(line);
  });
}

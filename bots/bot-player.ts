import { performance } from 'node:perf_hooks';
import type { Ref } from '../world/core/types.js';
import type { BotLink } from './bot-link.js';
import type { BotMap } from './bot-route.js';
import type { SwarmStats } from './swarm-stats.js';
import { REFUSED } from '../portal/refusals.js';

export interface BotPlan {
  name: string;
  password: string;
  /** Log in as the guest `name` (no password) instead of creating or connecting an account. */
  guest: boolean;
  target: Ref;
  map: BotMap;
  /** Walks out of the target room and back now and then. */
  wanderer: boolean;
  /** Attacks the creature with this keyword instead of chatting (a raid). */
  raid?: string;
  /** Longest wait for one answer; past it the command counts as an error. */
  commandTimeoutMs: number;
}

const EMOTES = ['waves to everyone', 'dances a little jig', 'raises a glass to the fountain', 'laughs', 'hums a tune', 'bows politely'];
const SAYINGS = ['What a party!', 'Has anyone seen the owl?', 'Lovely lanterns tonight.', 'Hello, everyone!', 'The fountain is running upward again.'];

/** One bot player: logs in (creating its character the first time), walks to
 *  the target room, then acts on a timer, never with more than one command
 *  outstanding (the server answers one at a time), and finally quits. */
export class BotPlayer {
  private at: Ref | undefined;
  private away = false;
  private busy: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private acting = false;

  constructor(private readonly link: BotLink, private readonly plan: BotPlan, private readonly stats: SwarmStats) {}

  async login(): Promise<void> {
    const { name, password, commandTimeoutMs: t } = this.plan;
    await this.link.greeting(t);
    let answer = await this.link.command(this.plan.guest ? `guest ${name}` : `create ${name} ${password}`, t);
    if (!this.plan.guest && /already taken/.test(answer)) answer = await this.link.command(`connect ${name} ${password}`, t);
    if (!/Welcome, /.test(answer)) throw new Error(`login of ${name} failed: ${reason(answer)}`);
    this.at = this.plan.map.whereAfter(answer);
  }

  /** Walks the shortest route to the target, looking again if a step went astray. */
  async walk(): Promise<void> {
    const { map, target, commandTimeoutMs: t } = this.plan;
    for (let attempt = 0; attempt < 3; attempt++) {
      // The login's answer already showed the room: a look more would be one more
      // turn of the crowded room per arriving bot.
      if (attempt > 0 || !this.at) this.at = map.whereAfter(await this.link.command('look', t)) ?? this.at;
      if (!this.at) throw new Error(`${this.plan.name} cannot tell which room it is in`);
      if (this.at === target) return;
      const path = map.route(this.at, target);
      if (!path) throw new Error(`${this.plan.name}: no way from ${this.at} to ${target}`);
      for (const step of path) await this.link.command(step, t);
    }
    throw new Error(`${this.plan.name} could not reach ${target}`);
  }

  /** Acts `rate` times a second from a random phase, so a swarm does not tick in step. */
  startActing(rate: number): void {
    const period = 1000 / rate;
    this.acting = true;
    this.stats.startRun();
    const tick = () => {
      if (!this.acting) return;
      this.tick();
      this.timer = setTimeout(tick, period);
    };
    this.timer = setTimeout(tick, Math.random() * period);
  }

  stopActing(): void {
    this.acting = false;
    clearTimeout(this.timer);
  }

  /** Stops acting, lets the last command finish, says `quit` and waits for the close; always drops the socket. */
  async quit(timeoutMs: number): Promise<void> {
    this.stopActing();
    try {
      if (this.busy) await withTimeout(this.busy, timeoutMs);
      if (!this.link.isClosed) {
        this.link.send('quit');
        await this.link.waitClosed(timeoutMs);
      }
    } catch {
      // A bot that cannot say goodbye in time is simply disconnected; the server cleans up after it.
    } finally {
      this.link.close();
    }
  }

  private tick(): void {
    if (this.busy) {
      this.stats.delayed += 1;
      return;
    }
    const line = this.nextLine();
    const sentAt = performance.now();
    this.stats.sent += 1;
    this.busy = this.link.command(line, this.plan.commandTimeoutMs).then(
      (answer) => this.answered(line, answer, sentAt),
      (err: Error) => this.stats.error(`${this.plan.name} "${line}": ${err.message}`),
    ).finally(() => {
      this.busy = undefined;
    });
  }

  private answered(line: string, answer: string, sentAt: number): void {
    const refused = REFUSED.exec(answer);
    // A refusal comes back at once: counted as an answer it would flatter the server.
    if (refused) this.stats.refuse(`${this.plan.name} "${line}": ${refused[0]}`);
    else this.stats.answer(sentAt);
    // A raider struck down wakes elsewhere: it finds out where, then walks back to the fight.
    if (this.plan.raid && /You don't see/.test(answer)) this.away = true;
    if (!this.plan.wanderer && !this.plan.raid) return;
    const now = this.plan.map.whereAfter(answer);
    if (now) {
      this.at = now;
      this.away = now !== this.plan.target;
    }
  }

  /** Mostly emotes and says; a wanderer steps out now and then and comes back on its next turn. */
  private nextLine(): string {
    const { map, target, wanderer, raid } = this.plan;
    if (raid) {
      if (this.away) return (this.at && this.at !== target && map.route(this.at, target)?.[0]) || 'look';
      return Math.random() < 0.9 ? `attack ${raid}` : 'score';
    }
    if (wanderer && this.away && this.at) return map.route(this.at, target)?.[0] ?? 'look';
    if (wanderer && Math.random() < 0.3) return pick(map.exits(target)) ?? 'look';
    const r = Math.random();
    if (r < 0.45) return `emote ${pick(EMOTES)}`;
    if (r < 0.9) return `say ${pick(SAYINGS)}`;
    return 'look';
  }
}

function pick<T>(list: T[]): T | undefined {
  return list[Math.floor(Math.random() * list.length)];
}

/** The server's last words before its login prompt: why a login failed. */
function reason(text: string): string {
  return text.trim().split('\n').slice(-2)[0] ?? '';
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<undefined>((r) => { timer = setTimeout(() => r(undefined), ms); })]).finally(() => clearTimeout(timer));
}

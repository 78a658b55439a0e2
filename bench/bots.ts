// Bot players for the benchmarks: log in over real telnet (TelnetClient), a
// bounded number at a time, and a few helpers the drivers share.

import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

export const BOT_PASSWORD = 'benchmark';
const BUSY_HASHING = /busy checking passwords/;
/** Lines the server answers with when it did not run a command. */
export { REFUSED } from '../portal/refusals.js';

/** Player names are 3 to 16 letters: `bot` and the index in base 26. */
export function botName(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(97 + (n % 26)) + s;
    n = Math.floor(n / 26);
  } while (n > 0);
  return `bot${s.padStart(3, 'a')}`;
}

/** `guestaaa`, `guestaab`, ...: guest names (portal/login/guest-login.ts) for the same indices. */
export function guestName(i: number): string {
  return `guest${botName(i).slice('bot'.length)}`;
}

/** Logs `count` bots in (creating their characters, or as guests), `concurrency` at a time;
 *  `then` runs for each right after its login (walking somewhere, say). */
export async function loginBots(
  port: number, count: number,
  o: { concurrency: number; guests?: boolean; progress?: (done: number) => void; then?: (c: TelnetClient, i: number) => Promise<void>; first?: number },
): Promise<TelnetClient[]> {
  const first = o.first ?? 0; // names start here: bots split over several gateways keep distinct names
  const clients: TelnetClient[] = new Array(count);
  let done = 0;
  try {
    await inPool(count, o.concurrency, async (i) => {
      const c = await TelnetClient.open(port);
      clients[i] = c;
      await c.nextAnswer(30_000); // the welcome screen
      const login = o.guests ? `guest ${guestName(first + i)}` : `create ${botName(first + i)} ${BOT_PASSWORD}`;
      let answer = await c.command(login, 60_000);
      // The password hash's queue is full (portal/hash-gate.ts): a person would try again in a moment.
      for (let tries = 0; BUSY_HASHING.test(answer) && tries < 20; tries++) {
        await new Promise((r) => setTimeout(r, 250 + Math.random() * 500));
        answer = await c.command(login, 60_000);
      }
      if (!answer.includes('Welcome, ')) throw new Error(`"${login}" failed: ${answer.trim().slice(-200)}`);
      await o.then?.(c, i);
      done += 1;
      if (done % 100 === 0) o.progress?.(done);
    });
  } catch (err) {
    closeAll(clients);
    throw err;
  }
  return clients;
}

export function closeAll(clients: Array<TelnetClient | undefined>): void {
  for (const c of clients) c?.close();
}

/** Runs `task(0..count-1)` with at most `concurrency` running at once; the first failure fails it all. */
export async function inPool(count: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async (): Promise<void> => {
    while (next < count && failed === undefined) {
      const i = next++;
      await task(i).catch((err: unknown) => {
        failed ??= err;
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  if (failed !== undefined) throw failed;
}

/** This process's event-loop utilisation over a window: how busy the measuring side was. */
export class LoopMeter {
  private start: EventLoopUtilization = performance.eventLoopUtilization();

  restart(): void {
    this.start = performance.eventLoopUtilization();
  }

  utilisation(): number {
    return performance.eventLoopUtilization(this.start).utilization;
  }
}

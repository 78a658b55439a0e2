// Real processes for NATS cluster tests: `mud node` processes, admin calls
// through the real CLI, and a look at the gateway's status (its admin API).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { MUD_BIN, stoppers } from './server-process.js';
import { waitUntil } from './nats-server.js';
import type { Status } from '../../ops/status.js';
import type { TelnetClient } from '../../portal/telnet/telnet-client.js';

export const ADMIN_TOKEN = 'nats-cluster-test-token';

export interface NodeProcess {
  id: string;
  child: ChildProcess;
  log(): string;
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

/** The compiled CLI must exist: these tests run the real binaries. */
export function checkBuilt(): void {
  if (!existsSync(MUD_BIN)) throw new Error(`${MUD_BIN} is missing: run \`npm run build\` first (npm test does)`);
}

/** `mud node --nats URL --id ID`, resolved once it logged that it started. */
export async function spawnNode(url: string, id: string, extra: string[] = []): Promise<NodeProcess> {
  const child = spawn(process.execPath, [MUD_BIN, 'node', '--nats', url, '--id', id, ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout!.on('data', (d: Buffer) => { log += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const stop = stoppers(child);
  await waitUntil(() => /node started/.test(log) || child.exitCode !== null, 30_000, () => `node ${id} did not start:\n${log}`);
  if (child.exitCode !== null) throw new Error(`node ${id} exited with ${child.exitCode}:\n${log}`);
  return { id, child, log: () => log, ...stop };
}

/** Runs `mud <args> --url ... --admin-token ...` and returns what it printed. */
export async function mudAdmin(adminPort: number, ...args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [MUD_BIN, ...args, '--url', `http://127.0.0.1:${adminPort}`, '--admin-token', ADMIN_TOKEN]);
  return stdout;
}

/** What `mud status --json` prints (the admin API's GET /admin/status), fetched without starting the
 *  CLI: the tests poll it, and a Node process per poll cost the 2-core CI machine minutes in all.
 *  The CLI itself is tested by test/cli-world-errors.test.ts and test/live-switch-e2e.test.ts. */
export async function status(adminPort: number): Promise<Status> {
  const res = await fetch(`http://127.0.0.1:${adminPort}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  if (!res.ok) throw new Error(`GET /admin/status on ${adminPort}: HTTP ${res.status} ${await res.text()}`);
  return (await res.json()) as Status;
}

/** Waits until the gateway lists exactly these nodes. */
export async function waitForNodes(adminPort: number, ids: string[], timeoutMs = 30_000): Promise<void> {
  let seen: string[] = [];
  await waitUntil(async () => {
    seen = (await status(adminPort)).nodes.map((n) => n.id).filter((id) => id !== 'gateway').sort();
    return JSON.stringify(seen) === JSON.stringify([...ids].sort());
  }, timeoutMs, () => `nodes ${ids.join(', ')}; the gateway lists ${seen.join(', ') || 'none'}`);
}

/** `mud serve` flags for a gateway whose players run `moveItems` (or any closed loop): the
 *  per-session rate limit lifted, so each command waits only for the answer to the one before
 *  (a refused one would be answered without moving anything). */
export const CLOSED_LOOP_LIMITS = ['--commands-per-second', '1000', '--command-burst', '1000'];

/** Carries the market's apples and lantern to the plaza and back, or the garden's pebble and key.
 *  Closed loop: start the gateway with `CLOSED_LOOP_LIMITS`. */
export async function moveItems(c: TelnetClient, i: number, going: () => boolean): Promise<{ sent: number; answered: number }> {
  const [there, back, things] = i % 2 === 0 ? ['west', 'east', ['apple', 'lantern']] : ['south', 'north', ['pebble', 'key']];
  let sent = 0;
  let answered = 0;
  const run = async (line: string) => {
    sent++;
    await c.command(line, 60_000);
    answered++;
  };
  while (going()) {
    await run(there);
    for (const t of things) await run(`take ${t}`);
    await run(back);
    for (const t of things) await run(`drop ${t}`);
  }
  return { sent, answered };
}

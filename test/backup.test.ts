// Backups that restore: `mud backup` of a running world while bots play and two
// players pass swords in and out of a chest, `mud restore` into an empty data dir
// (file store) or KV bucket (NATS), refused into a full one without --force, the
// item audit on the restored world, and the restored world serving the players.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUD_BIN, spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { ADMIN_TOKEN, checkBuilt } from './helpers/nats-cluster.js';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { runSwarm } from '../bots/bot-swarm.js';
import { readBackup } from '../bin/backup-file.js';
import { auditEntries } from '../bin/restore.js';
import { readRecords, strandedTransfers, itemHolders } from '../ops/item-audit.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { FileStore } from '../store/file-store.js';
import { NatsKvStore } from '../store/nats-kv-store.js';
import { NatsLink } from '../nats/nats-connection.js';
import { silentLogger } from '../support/logger.js';
import type { StateStore } from '../store/state-store.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const SLOW = 180_000;

/** Runs the real CLI; resolves with its exit code and what it printed. */
async function mud(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [MUD_BIN, ...args], { timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** Until the gateway lists a node of its own. */
async function waitForANode(adminPort: number): Promise<void> {
  await waitUntil(async () => {
    const res = await fetch(`http://127.0.0.1:${adminPort}/admin/status`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    const s = (await res.json()) as { nodes: Array<{ id: string }> };
    return s.nodes.some((n) => n.id !== 'gateway');
  }, 30_000, () => 'no node joined');
}

/** Two players moving swords between the armory's chest, the floor and their hands until stopped. */
async function swordMovers(gw: ServerProcess): Promise<{ moves(): number; stop(): Promise<number> }> {
  const movers: TelnetClient[] = [await player(gw.telnetPort, 'alice'), await player(gw.telnetPort, 'bob')];
  for (const m of movers) {
    await m.command('east');
    await m.command('open chest');
  }
  let running = true;
  let moves = 0;
  const loops = movers.map(async (m, i) => {
    const steps = i === 0 ? ['take sword from chest', 'drop sword', 'take sword', 'put sword in chest'] : ['take 2.sword from chest', 'put sword in chest'];
    while (running) for (const step of steps) {
      await m.command(step);
      moves++;
    }
  });
  return {
    moves: () => moves,
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const m of movers) m.close();
      return moves;
    },
  };
}

/** Every item held exactly once, and nothing left on its way, in a stopped server's store. */
async function auditStore(store: StateStore): Promise<{ problems: string[]; inFlight: number; items: Map<string, string[]> }> {
  const world = (await loadLiveWorld(DEFAULT_WORLD)).definition;
  const records = await readRecords(store);
  const { resend, unresolved } = strandedTransfers(records, world);
  return { problems: unresolved, inFlight: resend.length, items: itemHolders(records, world) };
}

/** Backs up a running world under load, then checks the file: every key once, the item audit clean. */
async function backupUnderLoad(gw: ServerProcess, out: string): Promise<{ keys: number; moves: number }> {
  const movers = await swordMovers(gw);
  const swarm = runSwarm({ count: 30, rate: 4, durationMs: 3000, telnetPort: gw.telnetPort, prefix: 'guestbk', guest: true, wander: 0.3 });
  // Back up mid-play: once the swords have changed hands a few times while the swarm connects and wanders.
  await waitUntil(() => movers.moves() >= 4, 20_000, () => `the swords moved ${movers.moves()} times`);
  const taken = await mud('backup', '--out', out, '--url', `http://127.0.0.1:${gw.adminPort}`, '--admin-token', ADMIN_TOKEN);
  const result = await swarm;
  const moves = await movers.stop();
  expect(taken.out).toMatch(/^backup: \d+ keys/);
  expect(taken.code).toBe(0);
  expect(result.errors).toBe(0);
  expect(moves).toBeGreaterThan(4);
  const backup = await readBackup(out);
  expect(auditEntries(backup.entries, (await loadLiveWorld(DEFAULT_WORLD)).definition).problems).toEqual([]);
  expect(backup.entries.some((e) => e.key === 'account/alice')).toBe(true);
  return { keys: backup.header.keys, moves };
}

/** Alice logs in on the restored world and plays where she was at the cut. */
async function alicePlays(gw: ServerProcess): Promise<void> {
  const alice = await player(gw.telnetPort, 'alice', 'secret', 'connect');
  expect(await alice.command('inventory')).toMatch(/You are carrying|not carrying anything|empty-handed/i);
  expect(await alice.command('look')).toMatch(/Armory/);
  alice.close();
}

/** Who holds each item of the backup once the restored world delivered what was on its way at the cut. */
async function holdersAfterCut(backupFile: string): Promise<Map<string, string>> {
  const world = (await loadLiveWorld(DEFAULT_WORLD)).definition;
  const { entries } = await readBackup(backupFile);
  const records = new Map(entries.filter((e) => /^(room|item|player)\//.test(e.key)).map((e) => [e.key, e.value as never]));
  const expected = new Map([...itemHolders(records, world)].filter(([, h]) => h.length === 1).map(([item, h]) => [item, h[0]!]));
  for (const r of strandedTransfers(records, world).resend) if (r.msg.type !== 'spawned') expected.set(r.item, r.to);
  return expected;
}

/** 0 items lost or doubled relative to the cut: every item the cut knew is held exactly once. */
async function expectItemsAsCut(store: StateStore, backupFile: string): Promise<void> {
  const audit = await auditStore(store);
  expect(audit.problems).toEqual([]);
  expect(audit.inFlight).toBe(0);
  const expected = await holdersAfterCut(backupFile);
  expect(expected.size).toBeGreaterThan(0);
  // The same items, each held once: none lost, none doubled. (Not necessarily by the same holder:
  // the restored world's overdue timers run at its start, and world rules may move things.)
  for (const item of expected.keys()) expect(audit.items.get(item)?.length, item).toBe(1);
}

describe('backup and restore - file store', () => {
  const dirs: string[] = [];
  beforeAll(() => checkBuilt());
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('backup - of a world under play in actor mode restores into an empty data dir, refuses a full one, audits clean, serves', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mud-backup-'));
    dirs.push(root);
    const out = join(root, 'world.backup');
    const from = join(root, 'live');
    const into = join(root, 'restored');
    const gw = await spawnServer(['--data-dir', from, '--dispatch', 'actor', '--nodes', '2', '--admin-token', ADMIN_TOKEN]);
    try {
      await backupUnderLoad(gw, out);
    } finally {
      await gw.stop();
    }

    const restored = await mud('restore', out, '--data-dir', into);
    expect(restored.out).toMatch(/restored \d+ keys/);
    expect(restored.out).toMatch(/coin audit: \d+ coins held.*none made or lost/);
    expect(restored.code).toBe(0);
    const again = await mud('restore', out, '--data-dir', into);
    expect(again.code).toBe(1);
    expect(again.out).toMatch(/refusing to restore into a store that holds \d+ keys.*--force/);
    expect((await mud('restore', out, '--data-dir', into, '--force')).code).toBe(0);
    expect((await mud('restore', join(root, 'missing.backup'), '--data-dir', join(root, 'other'))).out).toMatch(/no such backup file/);

    const served = await spawnServer(['--data-dir', into, '--dispatch', 'actor', '--nodes', '1', '--admin-token', ADMIN_TOKEN]);
    try {
      expect(served.log()).toMatch(/restored world cut=file@/);
      await alicePlays(served);
    } finally {
      await served.stop();
    }
    const store = await FileStore.open(into);
    try {
      await expectItemsAsCut(store, out);
    } finally {
      await store.close();
    }
  }, SLOW);
});

describeWithNats('backup and restore - NATS KV', () => {
  const nats: TestNatsServer[] = [];
  const dirs: string[] = [];
  beforeAll(() => checkBuilt());
  afterAll(async () => {
    for (const n of nats) await n.cleanup();
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it('backup - of a KV world under play in function mode restores into an empty bucket, refuses a full one, audits clean, serves', async () => {
    const root = await mkdtemp(join(tmpdir(), 'mud-backup-nats-'));
    dirs.push(root);
    const out = join(root, 'world.backup');
    const live = await startNatsServer();
    nats.push(live);
    const args = (url: string, dir: string) => ['--nats', url, '--store', 'nats', '--nodes', '1', '--dispatch', 'function', '--data-dir', dir, '--admin-token', ADMIN_TOKEN];
    const gw = await spawnServer(args(live.url, join(root, 'gw1')));
    try {
      await waitForANode(gw.adminPort);
      await backupUnderLoad(gw, out);
    } finally {
      await gw.stop();
    }

    const empty = await startNatsServer();
    nats.push(empty);
    const restored = await mud('restore', out, '--store', 'nats', '--nats', empty.url);
    expect(restored.out).toMatch(/restored \d+ keys .*into KV bucket mud/);
    expect(restored.code).toBe(0);
    const refused = await mud('restore', out, '--store', 'nats', '--nats', empty.url);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/refusing to restore/);

    const served = await spawnServer(args(empty.url, join(root, 'gw2')));
    try {
      await waitForANode(served.adminPort);
      expect(served.log()).toMatch(/restored world cut=nats-kv:mud@\d+/);
      await alicePlays(served);
    } finally {
      await served.stop();
    }
    const link = await NatsLink.connect(empty.url, { name: 'test-audit', log: silentLogger() });
    const store = await NatsKvStore.open(link, { ownsLink: true });
    try {
      await expectItemsAsCut(store, out);
    } finally {
      await store.close();
    }
  }, SLOW);
});

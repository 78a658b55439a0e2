import { Option, type Command } from 'commander';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DEFAULT_STORE, DURABLE_STORES, storeSpec, STORE_REGISTRY, type StoreKind } from '../store/registry.js';
import type { StoreContext } from '../store/store-spec.js';
import { listWords } from '../modes/registry.js';
import { NatsLink } from '../nats/nats-connection.js';
import { Logger } from '../support/logger.js';
import type { StateStore } from '../store/state-store.js';
import { adminFlags, adminTarget, runAdmin } from './admin-client.js';
import { storeFlagValues, storeFlags } from './store-flags.js';
import { readBackup } from './backup-file.js';
import { auditEntries, restoreInto } from './restore.js';
import { DataDirLock } from './data-dir-lock.js';
import { loadLiveWorld } from './live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { natsUrl } from './node-command.js';

export function backupCommands(program: Command): void {
  adminFlags(program.command('backup')
    .requiredOption('--out <file>', 'where to write the backup (NDJSON; written aside, then renamed into place)')
    .description('take a consistent snapshot of the running world (accounts, objects, timers, the mode table) without stopping play'))
    .action((o) => runAdmin(async () => {
      const started = performance.now();
      const target = await adminTarget(o);
      const out = resolve(o.out);
      const res = await fetch(`${target.url}/admin/backup`, { headers: { authorization: `Bearer ${target.token}` } }).catch((err: Error) => {
        throw new Error(`cannot reach the server at ${target.url}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
      });
      if (!res.ok || !res.body) throw new Error(((await res.json().catch(() => ({}))) as { error?: string }).error ?? `server answered ${res.status}`);
      await mkdir(dirname(out), { recursive: true });
      const part = `${out}.part`;
      const file = await open(part, 'w', 0o600);
      try {
        for await (const chunk of res.body) await file.write(chunk as Uint8Array);
        await file.sync();
      } finally {
        await file.close();
      }
      const { header } = await readBackup(part).catch(async (err: Error) => {
        await rm(part, { force: true });
        throw new Error(`the backup arrived damaged, nothing written: ${err.message}`);
      });
      await rename(part, out);
      const bytes = (await stat(out)).size;
      process.stdout.write(`backup: ${header.keys} keys, ${(bytes / 1e6).toFixed(1)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${out} (cut ${header.cut}; modes ${header.modes})\n`);
    }, 'backup'));

  storeFlags(program.command('restore')
    .argument('<file>', 'a backup written by mud backup')
    .option('--data-dir <dir>', 'with --store file: the data dir to restore into (no server may be running on it)', './.mud-data')
    .addOption(new Option('--store <kind>', `restore into ${listWords(DURABLE_STORES.map((k) => STORE_REGISTRY[k].restoreHelp), 'or')}`).choices(DURABLE_STORES).default(DEFAULT_STORE))
    .option('--nats <url>', 'with --store nats: the NATS server(s) holding the bucket', natsUrl)
    .option('--world <dir>', 'the world the backup was taken of (for the item audit)', DEFAULT_WORLD)
    .option('--force', 'replace what the data dir or bucket holds (refused otherwise)')
    .description('load a backup into an empty data dir or KV bucket, and audit its items and coins'), 'restore')
    .action((file: string, o, cmd: Command) => runAdmin(async () => {
      const started = performance.now();
      const flags = storeFlagValues(cmd, 'restore', o.store);
      const backup = await readBackup(resolve(file));
      const world = await loadLiveWorld(resolve(o.world));
      const audit = auditEntries(backup.entries, world.definition);
      if (audit.problems.length) throw new Error(`the audit of ${file} fails; nothing restored:\n${audit.problems.join('\n')}`);
      const { store, close, where } = await openTarget({ ...o, flags });
      try {
        const { replaced } = await restoreInto(store, backup, !!o.force);
        process.stdout.write(`restored ${backup.header.keys} keys (cut ${backup.header.cut}) into ${where}`
          + `${replaced ? `, replacing ${replaced}` : ''} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`
          + `item audit: ${audit.items} items, each held once${audit.inFlight ? ` (${audit.inFlight} on their way, delivered at the first start)` : ''}\n`
          + `coin audit: ${audit.coins} coins held${audit.coinsInFlight ? `, ${audit.coinsInFlight} coin messages on their way (delivered at the first start)` : ''}, none made or lost\n`
          + `it ran with: --dispatch ${backup.header.modes.replace(/ /g, '')}\n`);
      } finally {
        await close();
      }
    }, 'restore'));
}

async function openTarget(o: { store: StoreKind; dataDir: string; nats?: string; flags: Record<string, unknown> }): Promise<{ store: StateStore; close(): Promise<void>; where: string }> {
  const spec = storeSpec(o.store);
  if (spec.caps.needsNats) {
    if (!o.nats) throw new Error(`--store ${o.store} restores into ${spec.lives}: give the server with --nats nats://HOST:PORT`);
    const at: StoreContext = { dataDir: resolve(o.dataDir), link: await NatsLink.connect(o.nats, { name: 'mud-restore', log: new Logger() }), ownsLink: true, flags: o.flags };
    const store = await spec.open(at).catch(async (err: unknown) => {
      await at.link!.close();
      throw err;
    });
    return { store, close: () => store.close(), where: spec.where(at) };
  }
  // A store that keeps its state here: no server may hold the data dir meanwhile.
  const at: StoreContext = { dataDir: resolve(o.dataDir), flags: o.flags };
  const lock = await DataDirLock.acquire(at.dataDir);
  try {
    const store = await spec.open(at);
    return { store, close: async () => { await store.close(); await lock.release(); }, where: spec.where(at) };
  } catch (err) {
    await lock.release();
    throw err;
  }
}

// One server per data dir. Two servers on one dir each recover, rename and
// compact the other's journal, and acknowledged writes are lost; so the dir is
// locked before anything in it is read or written.
//
// The lock is a file created with O_EXCL holding the owner's pid, host and a
// random token. A lock whose pid is dead on this host (kill -9, power cut) is
// stale and taken over; two starters racing for a stale lock serialise on a
// second O_EXCL file, so exactly one wins.
import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE = 'server.lock';

/** The lock file of a server, or of one gateway of a cluster (`--store nats`: the
 *  state is in KV, so gateways on one machine may share a data dir, each holding
 *  its own lock and crash marker there, and the admin token). */
export function lockFileOf(gateway?: string): string {
  return gateway ? `gateway-${gateway}.lock` : LOCK_FILE;
}

interface Owner { pid: number; host: string; started: string; token: string }

/** The data dir is in use by a live server. */
export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  constructor(readonly dir: string, readonly owner: Owner) {
    super(`data dir ${dir} is in use by another mud serve (pid ${owner.pid} on ${owner.host}, since ${owner.started}); stop it or choose another --data-dir`);
  }
}

export class DataDirLock {
  private released = false;
  private constructor(private readonly file: string, private readonly owner: Owner, readonly tookOverFrom: number | undefined) {}

  /** Takes the lock or throws DataDirLockedError; creates the dir if missing (and nothing else in it).
   *  `gateway`: the lock of one gateway of a cluster (see lockFileOf). */
  static async acquire(dir: string, gateway?: string): Promise<DataDirLock> {
    await mkdir(dir, { recursive: true });
    const owner: Owner = { pid: process.pid, host: hostname(), started: new Date().toISOString(), token: randomBytes(12).toString('hex') };
    const file = join(dir, lockFileOf(gateway));
    for (;;) {
      if (await create(file, owner)) return new DataDirLock(file, owner, undefined);
      const stale = await staleOwner(dir, file);
      if (!stale) continue; // released meanwhile: try the create again
      await takeOver(dir, file, stale, owner);
      return new DataDirLock(file, owner, stale.pid);
    }
  }

  /** Removes the lock file if it is still ours. */
  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    const now = await readOwner(this.file);
    if (now?.token === this.owner.token) await unlink(this.file).catch(() => undefined);
  }
}

/** The current owner, if it is stale; undefined if the lock is gone; throws if it is alive. */
async function staleOwner(dir: string, file: string): Promise<Owner | undefined> {
  // A starter that won the O_EXCL create writes its owner a moment later: give it that moment.
  for (let i = 0; ; i++) {
    const owner = await readOwner(file);
    if (owner === null) return undefined;
    if (owner) {
      if (owner.host !== hostname()) throw new DataDirLockedError(dir, owner); // no way to check a pid on another host
      if (alive(owner.pid)) throw new DataDirLockedError(dir, owner);
      return owner;
    }
    if (i >= 20) return { pid: 0, host: hostname(), started: 'unknown', token: '' }; // unreadable for 2 s: a writer died mid-write
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function takeOver(dir: string, file: string, stale: Owner, owner: Owner): Promise<void> {
  const guard = `${file}.takeover`;
  if (!(await create(guard, owner))) {
    // Another starter is taking over now (or is writing its guard): it wins.
    const other = await readOwner(guard);
    if (other === undefined || (other && alive(other.pid))) throw new DataDirLockedError(dir, other ?? stale);
    // A takeover that died half-way: clear it and try once more.
    if (other) await unlink(guard).catch(() => undefined);
    if (!(await create(guard, owner))) throw new DataDirLockedError(dir, (await readOwner(guard)) ?? stale);
  }
  try {
    // Under the guard, re-check that the lock is still the stale one we saw.
    const now = await readOwner(file);
    if (now && now.token !== stale.token) throw new DataDirLockedError(dir, now);
    await unlink(file).catch(() => undefined);
    if (!(await create(file, owner))) throw new DataDirLockedError(dir, (await readOwner(file)) ?? stale);
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

/** O_EXCL create with the owner written and synced; false if the file exists. */
async function create(file: string, owner: Owner): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'wx', 0o644);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    await fh.writeFile(`${JSON.stringify(owner)}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  return true;
}

/** The owner written in a lock file; undefined while unreadable, null if there is no file. */
async function readOwner(file: string): Promise<Owner | undefined | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  try {
    const o = JSON.parse(text) as Owner;
    return Number.isInteger(o.pid) && typeof o.token === 'string' ? o : undefined;
  } catch {
    return undefined;
  }
}

/** Signal 0 checks existence: EPERM means alive but someone else's. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

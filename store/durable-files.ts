import { open } from 'node:fs/promises';

/** Flushes a file (or a directory's entries) to the disk; does nothing when `sync` is off. */
export async function syncPath(path: string, sync: boolean): Promise<void> {
  if (!sync) return;
  const handle = await open(path, 'r');
  await handle.sync().finally(() => handle.close());
}

export async function syncDir(dir: string, sync: boolean): Promise<void> {
  if (process.platform !== 'win32') await syncPath(dir, sync); // Windows cannot open a directory
}

/** For a `.catch` on a rename or unlink: a missing file is `false`, anything else is thrown again. */
export function ignoreMissing(err: NodeJS.ErrnoException): false {
  if (err.code !== 'ENOENT') throw err;
  return false;
}

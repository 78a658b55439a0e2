// Builds for `mud upgrade` tests: copies of dist/ that differ from it the way a
// new release would, each next to symlinks to the shipped data/ and web/ so it
// runs as the package does (node_modules is found up the tree).
import { cpSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../support/paths.js';

/** A copy of dist/ under test/artifacts/, with `patches` applied: file (relative to dist/) -> [find, replace]. */
export function copiedBuild(name: string, patches: Record<string, [string, string]>): { root: string; entry: string; remove(): void } {
  const root = join(PACKAGE_ROOT, 'test', 'artifacts', `${name}-${process.pid}`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(join(PACKAGE_ROOT, 'dist'), join(root, 'dist'), { recursive: true });
  symlinkSync(join(PACKAGE_ROOT, 'data'), join(root, 'data'));
  symlinkSync(join(PACKAGE_ROOT, 'web'), join(root, 'web'));
  for (const [file, [find, replace]] of Object.entries(patches)) {
    const path = join(root, 'dist', file);
    const text = readFileSync(path, 'utf8');
    if (!text.includes(find)) throw new Error(`${file} has no ${JSON.stringify(find)}: the patch for the test build is out of date`);
    writeFileSync(path, text.replace(find, replace));
  }
  return { root, entry: join(root, 'dist', 'bin', 'mud.js'), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** Is process `pid` still there? (A successor is not the test's child: it is watched by pid.) */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export interface UpgradeOutcome { status: number; body: { ok?: boolean; pid?: number; sessions?: number; players?: number; error?: string } }

/** `POST /admin/upgrade` on a server whose data dir is `dataDir` (its admin token is there). */
export async function requestUpgrade(adminPort: number, dataDir: string): Promise<UpgradeOutcome> {
  const token = readFileSync(join(dataDir, 'admin.token'), 'utf8').trim();
  const res = await fetch(`http://127.0.0.1:${adminPort}/admin/upgrade`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  return { status: res.status, body: (await res.json()) as UpgradeOutcome['body'] };
}

/** Stops a successor (not the test's child: watched by pid) with SIGTERM, waiting up to 30 s. */
export async function stopPid(pid: number | undefined): Promise<void> {
  if (!pid || !alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + 30_000;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for pid ${pid} to stop`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

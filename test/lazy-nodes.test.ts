// An in-process server keeps no idle node threads: its worker-thread nodes start on the first switch to a mode
// that runs objects on them (before the switch's hold), and `mud status` says how many wait until then.
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import type { Status } from '../ops/status.js';

const run = promisify(execFile);
const MUD = join(PACKAGE_ROOT, 'dist', 'bin', 'mud.js');

/** This process's threads (the test's own server runs in it). */
async function threads(): Promise<number> {
  return (await readdir('/proc/self/task')).length;
}

describe('nodes on first use', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 2 });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  const mud = async (...args: string[]) => (await run(process.execPath, [MUD, ...args, '--url', `http://127.0.0.1:${server.adminPort}`, '--data-dir', server.dataDir])).stdout;
  const status = async () => JSON.parse(await mud('status', '--json')) as Status;

  it('in-process starts no node thread; the first switch to actor starts them, and play goes on through them', async () => {
    const alice = await player(server.telnetPort, 'alice');
    expect(await alice.command('east')).toMatch(/^The Old Armory\n/);
    const before = await status();
    expect(before.nodes.map((n) => n.id)).toEqual(['gateway']);
    expect(before.nodesOnFirstUse).toBe(2);
    expect(await mud('status')).toContain('(2 nodes start on the first switch to actor or function)');
    const threadsBefore = await threads();

    expect(await mud('dispatch', 'actor')).toMatch(/^dispatch: actor/);
    const after = await status();
    expect(after.nodes.map((n) => n.id).sort()).toEqual(['gateway', 'node-1', 'node-2']);
    expect(after.nodesOnFirstUse).toBeUndefined();
    expect(await threads()).toBeGreaterThanOrEqual(threadsBefore + 2);
    expect(await alice.command('west')).toMatch(/^The Mystical Plaza\n/);
    expect((await status()).hot.find((h) => h.ref === 'player/alice')?.home).toMatch(/^node-/);

    // Back in-process and out again: the same nodes, none started twice.
    await mud('dispatch', 'in-process');
    await mud('dispatch', 'function');
    expect((await status()).nodes.map((n) => n.id).sort()).toEqual(['gateway', 'node-1', 'node-2']);
    expect(await alice.command('look')).toMatch(/^The Mystical Plaza\n/);
    alice.close();
  }, 60_000);
});

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// `npm run test:unit`: the fast inner loop. A test file is a unit test unless it starts something
// real: a server or a process, a socket, NATS, a browser, tmux. Classified from its imports, so a
// new test lands in the right tier without a list to keep.
const REAL_PARTS = /from '(\.\/helpers\/(test-server|server-process|nats-[\w-]+|gateway-pair|browser|netns[\w-]*)|\.\.\/portal\/(telnet\/telnet-client|telnet\/raw-telnet|websocket-connection)|node:(child_process|net|tls|http)|ws)(\.js)?'/;

function unitTests(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.test\.tsx?$/.test(f))
    .filter((f) => !REAL_PARTS.test(readFileSync(join(dir, f), 'utf8')))
    .map((f) => `${dir}/${f}`);
}

export default defineConfig({
  test: {
    include: unitTests('test'),
    globalSetup: ['test/helpers/fresh-build.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    maxWorkers: 2,
    // Worker threads, not processes: nothing here needs a process of its own (no chdir, no exit),
    // and a thread starts and loads its modules sooner: 49 s against 61 s for the whole tier,
    // measured side by side (docs/journal/benchmarks-notebook.md, "The unit tier's pool").
    pool: 'threads',
    // One module graph per worker, not one per file: each file imported the engine, the world
    // loader and the script sandbox afresh, and that loading (vitest's "collect") was 27-48 s of
    // a 80-117 s run under load; shared, it is 12-15 s and the tier 48-67 s, measured side by side
    // (docs/journal/benchmarks-notebook.md, "The unit tier's isolation"). Safe here because no unit
    // test mocks a module, and the module-level state in the sources is caches and self-draining queues.
    isolate: false,
  },
});

// `mud serve` and `mud node` set V8's heap growing factor (bin/heap-growth.ts) unless the operator gave one.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../bin/heap-growth.js';
import { PACKAGE_ROOT } from '../support/paths.js';

const run = promisify(execFile);
const HEAP_GROWTH = join(PACKAGE_ROOT, 'dist', 'bin', 'heap-growth.js');

/** What limitHeapGrowth answers in a fresh node started with `args`. */
async function inChild(args: string[]): Promise<string> {
  const script = `import(${JSON.stringify(HEAP_GROWTH)}).then((m) => console.log(String(m.limitHeapGrowth())))`;
  const { stdout } = await run(process.execPath, [...args, '-e', script], { env: { ...process.env, NODE_OPTIONS: '' } });
  return stdout.trim();
}

describe('heap growth', () => {
  it('leaves an operator\'s own factor alone, in either spelling', () => {
    expect(limitHeapGrowth(['--heap-growing-percent=50'])).toBeUndefined();
    expect(limitHeapGrowth(['--max-old-space-size=512', '--heap_growing_percent=0'])).toBeUndefined();
  });

  it('sets its own factor in a process started without one, and reads node\'s command line', async () => {
    expect(await inChild([])).toBe(String(HEAP_GROWING_PERCENT));
    expect(await inChild(['--max-semi-space-size=8'])).toBe(String(HEAP_GROWING_PERCENT));
    expect(await inChild(['--heap-growing-percent=35'])).toBe('undefined');
    expect(await inChild(['--heap-growing-percent=0'])).toBe('undefined');
  });
});

// Vitest global setup: tests import sources, but worker threads and spawned servers run the
// compiled dist/. A dist/ older than a source would test stale code, so refuse it in one line.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const SOURCES = ['bin', 'world', 'support', 'nats', 'store', 'lattice', 'dispatch', 'modes', 'cluster', 'ops', 'portal', 'bots', 'tui', 'bench'];

/** The first source file whose compiled twin in dist/ is missing or older, if any. */
export function staleSource(root = ROOT): string | undefined {
  for (const dir of SOURCES) {
    const found = walk(root, join(root, dir));
    if (found) return found;
  }
  return undefined;
}

function walk(root: string, dir: string): string | undefined {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = walk(root, path);
      if (found) return found;
    } else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const built = join(root, 'dist', relative(root, path).replace(/\.tsx?$/, '.js'));
      let builtAt: number;
      try {
        builtAt = statSync(built).mtimeMs;
      } catch {
        return relative(root, path);
      }
      if (statSync(path).mtimeMs > builtAt) return relative(root, path);
    }
  }
  return undefined;
}

export default function setup(): void {
  const stale = staleSource();
  if (stale) throw new Error(`dist/ is older than ${stale}: build first (npx tsc -p tsconfig.json; npm test and npm run test:unit do)`);
}

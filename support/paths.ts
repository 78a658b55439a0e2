import { dirname, join, relative, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, whether running from dist/ (compiled) or from source (tests). */
export const PACKAGE_ROOT = (() => {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${'/'}dist${'/'}`) || here.endsWith('/dist/bin') ? resolve(here, '..', '..') : resolve(here, '..');
})();

export const DEFAULT_WORLD = join(PACKAGE_ROOT, 'data', 'worlds', 'default');
export const WEB_ROOT = join(PACKAGE_ROOT, 'web');

/** Runtime saves never go inside the shipped `data/` folder. */
export function checkDataDir(dataDir: string): string | undefined {
  const shipped = join(PACKAGE_ROOT, 'data');
  const rel = relative(shipped, resolve(dataDir));
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) {
    return `--data-dir ${dataDir} is inside the shipped data/ folder; runtime saves must live elsewhere (default ./.mud-data)`;
  }
  return undefined;
}

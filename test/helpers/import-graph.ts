// The project's import graph, read from the sources: which file imports which, and whether
// the import survives compilation (a type-only import is erased and cannot form a load cycle).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

export interface ImportEdge {
  from: string;
  to: string;
  /** Erased by the compiler: `import type`, `export type`, or only `type` specifiers. */
  typeOnly: boolean;
}

const STATIC_IMPORT = /^\s*(import|export)\s+(type\s+)?(?:([^'";]*?)\s+from\s+)?['"]([^'"]+)['"]/gm;

export function sourceFiles(root: string, dirs: readonly string[]): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
    }
  };
  for (const dir of dirs) walk(dir);
  return files.sort();
}

/** Every relative import of the given files, resolved to a source path (`.js` -> `.ts`/`.tsx`). */
export function importEdges(root: string, files: readonly string[]): ImportEdge[] {
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const text = readFileSync(join(root, from), 'utf8');
    for (const m of text.matchAll(STATIC_IMPORT)) {
      const spec = m[4];
      if (!spec.startsWith('.')) continue;
      const base = normalize(join(dirname(from), spec)).replace(/\.js$/, '');
      const to = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => known.has(p) || existsSync(join(root, p))) ?? base;
      const names = m[3] ?? '';
      const onlyTypeNames = /^\{[^}]*\}$/.test(names.trim()) && names.replace(/[{}\s]/g, '').split(',').filter(Boolean).every((n) => n.startsWith('type'));
      edges.push({ from, to, typeOnly: Boolean(m[2]) || onlyTypeNames });
    }
  }
  return edges;
}

/** The import cycles among runtime edges (each as a list of files, first repeated last). */
export function runtimeCycles(edges: readonly ImportEdge[]): string[][] {
  const out = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of out.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of out.keys()) if (!state.has(file)) visit(file);
  return cycles;
}

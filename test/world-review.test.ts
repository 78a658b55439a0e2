// `mud world check` as a reviewer: a world that loads but has what a reviewer would flag gets
// warnings with file:line:column, exit 0; with --strict, exit 1. Warnings come from the loader
// (world/files/world-review.ts), so they are checked here through it and once through the real binary.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../support/paths.js';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';
import { MUD_BIN } from './helpers/server-process.js';

const EXTRA_ROOMS = [
  'rooms:',
  '  lost_cellar:',
  '    name: The Lost Cellar',
  '    description: Nobody comes here.',
  '    exits:',
  '      up: mystical_plaza',
  '  sealed_vault:',
  '    name: The Sealed Vault',
  '    description: No door, no window.',
  '',
].join('\n');

let dir: string;
let warnings: string[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mud-review-'));
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  await writeFile(join(dir, 'rooms', 'extra.yaml'), EXTRA_ROOMS);
  // A typo'd hook on the plaza, and a room's hook on a creature (Tamsin's inline script).
  const plaza = join(dir, 'scripts', 'mystical_plaza.js');
  await writeFile(plaza, `${await readFile(plaza, 'utf8')}\nfunction greeet(state, msg, ctx) {\n  return state;\n}\n`);
  const creatures = join(dir, 'items', 'creatures.yaml');
  const text = await readFile(creatures, 'utf8');
  await writeFile(creatures, text.replace('      function greet(state, msg, ctx) {', '      function enter(state, msg, ctx) {\n        return state;\n      }\n      function greet(state, msg, ctx) {'));
  // A script no `script:` line names (forgotten, or a leftover copy), with a syntax error it never gets to show.
  await writeFile(join(dir, 'scripts', 'old_fountain.js'), 'function enter(state, msg, ctx) {\n  return state\n');
  const loaded = await loadWorld(dir);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatWorldError).join('\n'));
  warnings = loaded.warnings.map(formatWorldError).map((w) => w.slice(dir.length + 1));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function mud(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MUD_BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('world review', () => {
  it('review - the shipped world has no warnings', async () => {
    const loaded = await loadWorld(DEFAULT_WORLD);
    expect(loaded.ok && loaded.warnings).toEqual([]);
  });

  it('review - a room no exit leads to, with its file:line:column', () => {
    expect(warnings).toContain("rooms/extra.yaml:2:3: room 'lost_cellar' cannot be reached from the start room 'mystical_plaza' by any exit");
  });

  it('review - a room with no way out', () => {
    expect(warnings).toContain("rooms/extra.yaml:7:3: room 'sealed_vault' has no way out: no exits");
  });

  it('review - a one-way exit, at the exit', () => {
    expect(warnings).toContain("rooms/extra.yaml:6:11: exit up from 'lost_cellar' to 'mystical_plaza' is one-way: 'mystical_plaza' has no exit back to 'lost_cellar'");
  });

  it('review - a hook no message reaches, with the nearest message type', () => {
    expect(warnings.filter((w) => w.includes("'greeet'"))).toEqual([
      expect.stringMatching(/^rooms\/plaza\.yaml:\d+:13: function 'greeet' answers no message and is never called: it is no message type of the engine and no script sends it \(did you mean 'greet'\?\)$/),
    ]);
  });

  it('review - a room hook on a creature is never called', () => {
    expect(warnings.some((w) => /^items\/creatures\.yaml:\d+:\d+: hook 'enter' is never called on a creature: creatures do not receive 'enter'/.test(w))).toBe(true);
  });

  it('review - a script file no room or item names, once; the named ones not', () => {
    expect(warnings.filter((w) => w.startsWith('scripts/'))).toEqual(['scripts/old_fountain.js:1:1: no room or item names this script in a `script:` line: it never runs']);
  });

  it('review - helper functions a script calls are not flagged', () => {
    expect(warnings.filter((w) => /'(pick|crowd|remember)'/.test(w))).toEqual([]);
  });

  it('review - mud world check prints warnings and exits 0; --strict exits 1', async () => {
    const plain = await mud(['world', 'check', dir]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/ok \(.*, 7 warnings\)/);
    expect(plain.stderr).toMatch(/rooms\/extra\.yaml:7:3: warning: room 'sealed_vault' has no way out/);
    const strict = await mud(['world', 'check', '--strict', dir]);
    expect(strict.code).toBe(1);
  }, 60_000);
});

// The real `mud` binary on broken worlds: `mud world check` reports every error
// of a file in one run (its YAML syntax error included) and exits 1; `mud
// reload` against a running server prints the checker's file:line:column
// errors and exits 1.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../support/paths.js';
import { MUD_BIN, spawnServer, type ServerProcess } from './helpers/server-process.js';

/** A room file with three errors: a YAML syntax error in the cellar, a dangling exit and an unknown key in the attic. */
const BROKEN = [
  'rooms:',
  '  cellar:',
  '    name: The Cellar',
  '    description: A damp cellar: mind the step',
  '  attic:',
  '    name: The Attic',
  '    description: Dusty.',
  '    exits:',
  '      down: nowhere_room',
  '    weight: 3',
  '',
].join('\n');
const EXPECTED = [
  /rooms\/broken\.yaml:4:18: YAML syntax: Nested mappings are not allowed/,
  /rooms\/broken\.yaml:9:13: exit down of room 'attic' leads to unknown room 'nowhere_room'/,
  /rooms\/broken\.yaml:10:5: unknown key 'weight' in rooms\.attic/,
];

function mud(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [MUD_BIN, ...args], { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('cli world errors', () => {
  let dir = '';
  let world = '';
  let dataDir = '';
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-cli-'));
    world = join(dir, 'world');
    dataDir = join(dir, 'data');
    await cp(DEFAULT_WORLD, world, { recursive: true });
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('cli - mud world check reports all three errors of a file, the YAML syntax error included, and exits 1', async () => {
    const broken = join(dir, 'checked');
    await cp(DEFAULT_WORLD, broken, { recursive: true });
    await writeFile(join(broken, 'rooms', 'broken.yaml'), BROKEN);
    const r = await mud(['world', 'check', broken]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(4);
    EXPECTED.forEach((re, i) => expect(lines[i]).toMatch(re));
    expect(lines[3]).toBe(`3 errors in ${broken}`);
  });

  it('cli - mud world check reports bad area definitions (unknown room, a room in two areas, bad settings) and exits 1; the shipped world checks clean', async () => {
    const clean = await mud(['world', 'check', DEFAULT_WORLD]);
    expect(clean.stdout).toMatch(/: ok \(The Lantern Quarter: 8 rooms in 2 areas, \d+ items, start room\/mystical_plaza\)/);
    const broken = join(dir, 'areas');
    await cp(DEFAULT_WORLD, broken, { recursive: true });
    await writeFile(join(broken, 'more-areas.yaml'), 'areas:\n  docks:\n    name: The Docks\n    rooms: [pier, armory]\n    respawn: { items: later }\n');
    const r = await mud(['world', 'check', broken]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      `${join(broken, 'more-areas.yaml')}:4:13: area 'docks' lists unknown room 'pier'`,
      `${join(broken, 'more-areas.yaml')}:4:19: room 'armory' is in two areas: 'lantern_quarter' (${join(broken, 'areas.yaml')}:6:45) and 'docks'`,
      `${join(broken, 'more-areas.yaml')}:5:23: areas.docks.respawn.items must be a number of seconds or a duration such as 90s, 5m, 1h, or 'never', got 'later'`,
      `3 errors in ${broken}`,
    ]);
  });

  it('cli - mud reload on a broken world prints the file:line:column errors, exits 1, and the server runs on, its status naming no bottleneck', async () => {
    server = await spawnServer(['--world', world, '--data-dir', dataDir, '--nodes', '0']);
    const admin = ['--url', `http://127.0.0.1:${server.adminPort}`, '--data-dir', dataDir];
    expect(await mud(['reload', ...admin])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^world reloaded/) });
    await writeFile(join(world, 'rooms', 'broken.yaml'), BROKEN);
    const r = await mud(['reload', ...admin]);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe('mud reload: refused with 3 errors; nothing changed:');
    EXPECTED.forEach((re, i) => expect(lines[i + 1]).toMatch(re));
    expect(r.stderr).not.toContain('server answered');
    const status = await mud(['status', '--json', ...admin]);
    expect(JSON.parse(status.stdout)).toMatchObject({ players: 0, sharding: 'off', bottleneck: { kind: 'none' } });
    expect((await mud(['status', ...admin])).stdout).toMatch(/^bottleneck: nothing near a limit: busiest is \S+ at \d+%$/m);
  });
});

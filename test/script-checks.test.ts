// A world's scripts are compiled while the thread that loads it waits, and a live server loads its world on the
// gateway's thread (`@reload`; every building command): each compile was a wait for every player. A script file
// that many rooms name is checked once a load, a text that passed once is not checked again, and a world loaded
// again takes over the sandboxes of its unchanged scripts from the world it replaces. A changed script is
// compiled afresh. Counted on the script thread: each compile of a script there takes one id.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError, type WorldDefinition } from '../world/files/world-def.js';
import { World } from '../world/core/world.js';
import { SCRIPT_THREAD } from '../world/scripts/script-thread.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

/** Thirty rooms in a row, each naming scripts/room.js; `tag` makes the script's text differ between worlds. */
async function roomsWorld(tag: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'mud-script-checks-'));
  dirs.push(dir);
  const rooms = Array.from({ length: 30 }, (_, i) => [
    `  r${i}:`,
    `    name: Room ${i}`,
    '    description: A plain room.',
    `    exits: { ${i > 0 ? `west: r${i - 1}` : ''}${i > 0 && i < 29 ? ', ' : ''}${i < 29 ? `east: r${i + 1}` : ''} }`,
    '    script: ../scripts/room.js',
  ].join('\n'));
  await mkdir(path.join(dir, 'rooms'));
  await mkdir(path.join(dir, 'scripts'));
  await writeFile(path.join(dir, 'world.yaml'), 'world:\n  name: Checks\n  start: r0\n');
  await writeFile(path.join(dir, 'rooms', 'rooms.yaml'), `rooms:\n${rooms.join('\n')}\n`);
  await writeFile(path.join(dir, 'scripts', 'room.js'), `// ${tag}\nfunction say(state, msg, ctx) {\n  return { ...state, heard: (state.heard ?? 0) + 1 };\n}\n`);
  return dir;
}

async function load(dir: string): Promise<WorldDefinition> {
  const loaded = await loadWorld(dir);
  if (!loaded.ok) throw new Error(loaded.errors.map(formatWorldError).join('\n'));
  return loaded.world;
}

/** How many scripts `step` compiled. */
async function compiles(step: () => unknown): Promise<number> {
  const before = SCRIPT_THREAD.compiled;
  await step();
  return SCRIPT_THREAD.compiled - before;
}

describe('script checks', () => {
  it('load - a script that thirty rooms name is checked once, and not again when the world is loaded again', async () => {
    const dir = await roomsWorld(`first ${Date.now()}`);
    expect(await compiles(() => load(dir))).toBe(1);
    expect(await compiles(() => load(dir))).toBe(0);
  });

  it('load - a changed script is checked again, and its hooks are the new ones', async () => {
    const dir = await roomsWorld(`changed ${Date.now()}`);
    await load(dir);
    await writeFile(path.join(dir, 'scripts', 'room.js'), 'function enter(state) {\n  return state;\n}\n');
    let def: WorldDefinition | undefined;
    expect(await compiles(async () => { def = await load(dir); })).toBe(1);
    const world = World.create(def!);
    expect(world.hook('room/r3', 'enter')).toBeDefined();
    expect(world.hook('room/r3', 'say')).toBeUndefined();
  });

  it('live - a world made again from the same scripts takes over the sandboxes of the world it replaces', async () => {
    const def = await load(await roomsWorld(`live ${Date.now()}`));
    let first: World | undefined;
    expect(await compiles(() => { first = World.create(def); })).toBe(1);
    let second: World | undefined;
    expect(await compiles(() => { second = World.create(def); })).toBe(0);
    expect(second!.hook('room/r7', 'say')).toBe(first!.hook('room/r7', 'say'));
    const input = { state: { heard: 2 }, self: 'room/r7', msg: { type: 'say', text: 'hi' } };
    expect(second!.hook('room/r7', 'say')!(input as never)).toMatchObject({ ok: true, state: { heard: 3 } });
  });
});

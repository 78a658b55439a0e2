// The checker as a reviewer, the rest of it: --pedantic (nouns of a description nothing
// answers), a send nothing at the other end answers (a warning), every error of a script
// in one run, and an unterminated string reported where it opens. Each with file:line:column.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError } from '../world/files/world-def.js';
import { describedNouns } from '../world/files/world-pedantic.js';

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Loads a world written from `files`; what the checker says, paths relative to the world. */
async function check(files: Record<string, string>, pedantic = false): Promise<{ errors: string[]; warnings: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-reviewer-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  const loaded = await loadWorld(dir, { pedantic });
  const rel = (e: { file: string; line: number; column: number; message: string }) => formatWorldError({ ...e, file: e.file.slice(dir.length + 1) });
  return loaded.ok ? { errors: [], warnings: loaded.warnings.map(rel) } : { errors: loaded.errors.map(rel), warnings: [] };
}

const world = (script: string) => ({
  'world.yaml': 'world: { name: T, start: hall }\n',
  'rooms.yaml': [
    'rooms:',
    '  hall:',
    '    name: The Hall',
    '    description: A long hall with a marble fountain and an old clock.',
    '    exits: { east: yard }',
    '    extras:',
    '      clock: A clock that has stopped.',
    '    items: [fountain]',
    '    script: hall.js',
    '  yard:',
    '    name: The Yard',
    '    description: Grass.',
    '    exits: { west: hall }',
    '',
  ].join('\n'),
  'items.yaml': 'items:\n  fountain:\n    kind: item\n    name: a marble fountain\n    description: Water.\n    takeable: false\n',
  'hall.js': script,
});

describe('world checker as a reviewer', () => {
  it('pedantic - a noun of a description that no extra description or item answers is flagged, only with --pedantic', async () => {
    const files = world('function enter(state, msg, ctx) {}\n');
    expect((await check(files)).warnings).toEqual([]);
    expect((await check(files, true)).warnings).toEqual([
      "rooms.yaml:2:3: room 'hall' mentions 'hall' in its description, but no extra description or item here answers 'look hall'",
    ]);
    expect(describedNouns('Cobblestones worn smooth by a thousand years of feet, around a {cyan}marble fountain{/}.')).toEqual(['years', 'fountain']);
  });

  it('sends - a message nothing at the other end answers is a warning at the send', async () => {
    const script = [
      'function enter(state, msg, ctx) {',
      "  ctx.send(ctx.self, { type: 'chime' });",
      "  ctx.send(msg.player, { type: 'ding' });",
      "  ctx.send('room/yard', { type: 'chime' });",
      "  ctx.after(1000, { type: 'toll' });",
      '}',
      'function toll(state, msg, ctx) {}',
      '',
    ].join('\n');
    expect((await check(world(script))).warnings).toEqual([
      "hall.js:2:3: 'chime' is sent to room/hall, whose script has no hook of that name: nothing answers it",
      "hall.js:3:3: 'ding' is sent to a player (players have no scripts): nothing answers it",
      "hall.js:4:3: 'chime' is sent to room/yard, which has no script: nothing answers it",
    ]);
  });

  it('scripts - several errors of one script are all reported in one run', async () => {
    const script = [
      'function enter(state, msg, ctx) {',
      "  ctx.send(msg.player, { type: 'receive', item: 'item/fountain' });",
      '}',
      'function look(state, msg, ctx) {',
      '  let x = ;',
      '}',
      "function say(state, msg, ctx) { ctx.send(ctx.self, { type: 'take' }); }",
      '',
    ].join('\n');
    expect((await check(world(script))).errors).toEqual([
      "hall.js:2:26: scripts may not send 'receive' messages (see the protocol table in docs/WORLD-FILES.md)",
      "hall.js:5:11: script does not compile: Unexpected token ';'",
      "hall.js:7:54: scripts may not send 'take' messages (see the protocol table in docs/WORLD-FILES.md)",
    ]);
  });

  it('scripts - an unterminated string is reported where it opens, in a file and inline', async () => {
    const script = 'function look(state, msg, ctx) {\n  ctx.tell(msg.player, "oops);\n}\n';
    expect((await check(world(script))).errors).toEqual(['hall.js:2:24: script does not compile: unterminated string: it opens here and is never closed']);
    const files = world('');
    files['rooms.yaml'] = files['rooms.yaml'].replace('    script: hall.js', "    script: |\n      function look(state, msg, ctx) {\n        ctx.tell(msg.player, 'oops);\n      }");
    expect((await check(files)).errors).toEqual(['rooms.yaml:11:30: script does not compile: unterminated string: it opens here and is never closed']);
  });
});

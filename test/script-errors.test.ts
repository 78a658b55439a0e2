// A builder script that throws or runs away aborts its own part of that turn
// only: the acting player is told, the log says why, and the server keeps serving.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { Logger, type LogEvent } from '../support/logger.js';

const WORLD = `
world: { name: Faulty, start: hall }
rooms:
  hall:
    name: The Hall
    description: A hall with a haunted echo.
    exits: { north: attic }
    script: |
      function say(state, msg, ctx) { throw new Error('the echo chokes'); }
      function emote(state, msg, ctx) { while (true) {} }
      function enter(state, msg, ctx) { ctx.tell(msg.player, 'The echo says hello.'); return { visits: (state.visits || 0) + 1 }; }
  attic:
    name: The Attic
    description: Dusty.
    exits: { south: hall }
    items: [box]
items:
  box: { kind: container, name: a box, description: A box., open: true, contents: [coin] }
  coin: { kind: item, name: a coin, description: A coin. }
`;

describe('script errors', () => {
  let server: TestServer;
  let dir: string;
  const events: LogEvent[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-faulty-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), WORLD);
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    server = await startTestServer({ world: join(dir, 'world'), nodes: 1, dispatch: 'actor', log });
  });
  afterAll(async () => {
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('scripts - a throwing hook tells a wizard (the first account) what failed, and the log; the built-in part of the turn stands', async () => {
    const c = await player(server.telnetPort, 'olga');
    expect(await c.command('say hi')).toMatch(/^You say, "hi"\n\[A script failed in room\/hall: .*the echo chokes/);
    expect(events.some((e) => e.level === 'error' && String(e.fields.text).includes('the echo chokes'))).toBe(true);
    c.close();
  });

  it('scripts - a runaway hook is stopped by its time budget and the server keeps serving', async () => {
    const c = await player(server.telnetPort, 'pavel');
    // Pavel is no wizard: he is told something went wrong, not the server's files or the script's error.
    const told = await c.command('emote spins');
    expect(told).toBe('Pavel spins\nSomething went wrong there. (The builders have been told.)\n');
    expect(events.some((e) => e.level === 'error' && String(e.fields.text).includes('script timed out after 50 ms'))).toBe(true);
    expect(await c.command('say hi')).toBe('You say, "hi"\nSomething went wrong there. (The builders have been told.)\n');
    expect(await c.command('north')).toMatch(/The Attic/);
    expect(await c.command('take coin from box')).toBe('You take a coin from the box.\n');
    expect(await c.command('south')).toMatch(/The echo says hello\./);
    c.close();
  });
});

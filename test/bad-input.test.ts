// Bad input gets a clear answer or a clean close, never a crash, never a
// corrupted save: huge lines, invalid UTF-8, control characters, floods,
// garbage telnet, silent connections, vanishing clients, broken world files.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';

describe('bad input', () => {
  let server: TestServer;
  let worldDir: string;
  beforeAll(async () => {
    worldDir = await mkdtemp(join(tmpdir(), 'mud-world-'));
    await cp(DEFAULT_WORLD, worldDir, { recursive: true });
    server = await startTestServer({ world: worldDir, nodes: 0, limits: { loginTimeoutMs: 500, commandsPerSecond: 5, commandBurst: 10 } });
  });
  afterAll(async () => {
    await server?.cleanup();
    await rm(worldDir, { recursive: true, force: true });
  });

  it('input - a line over 4 KiB is refused whole, and the session goes on', async () => {
    const c = await player(server.telnetPort, 'hugh');
    c.send('say ' + 'x'.repeat(5000));
    expect(await c.nextAnswer()).toBe('That line was too long (over 4 KiB) and was ignored.\n');
    expect(await c.command('say still here')).toBe('You say, "still here"\n');
    c.close();
  });

  it('input - invalid UTF-8 is refused; control characters are dropped', async () => {
    const c = await player(server.telnetPort, 'ivy');
    c.writeRaw(Buffer.from([0x73, 0x61, 0x79, 0x20, 0xc3, 0x28, 0x0d, 0x0a]));
    expect(await c.nextAnswer()).toBe('That line was not valid UTF-8 and was ignored.\n');
    expect(await c.command('say he\u0007llo\u001b there')).toBe('You say, "hello there"\n');
    expect(await c.command('say héllo wörld ✓')).toBe('You say, "héllo wörld ✓"\n');
    c.close();
  });

  it('input - a flood is rate-limited politely; what was accepted is answered', async () => {
    const c = await player(server.telnetPort, 'jack');
    c.writeRaw(Buffer.from(Array.from({ length: 100 }, (_, i) => `say flood ${i}\r\n`).join('')));
    await c.waitFor(/too fast|Too many commands/);
    await new Promise((r) => setTimeout(r, 2500));
    expect(await c.command('look')).toMatch(/The Mystical Plaza/);
    expect(c.drain()).not.toMatch(/flood 99"/);
    c.close();
  });

  it('input - garbage telnet sequences do not hurt the session or the server', async () => {
    const c = await player(server.telnetPort, 'kate');
    c.writeRaw(Buffer.from([255, 250, 31, 1, 2, 3, 255, 255, 255, 251, 200, 255, 253, 99, 255, 252, 255, 1, 255, 240, 255, 246]));
    c.writeRaw(Buffer.from([255, 250, 24, ...Array(1000).fill(65), 255, 240]));
    expect(await c.command('say ok')).toMatch(/You say, "ok"/);
    const other = await player(server.telnetPort, 'liam');
    expect(await other.command('look')).toMatch(/Kate/);
    c.close();
    other.close();
  });

  it('input - a connection that never speaks is told and closed at the login timeout', async () => {
    const c = await TelnetClient.open(server.telnetPort);
    await c.waitFor('You took too long to log in. Goodbye.', 5000);
    await c.waitClosed();
  });

  it('input - a client vanishing mid-command leaves the world consistent and the player gone from the room', async () => {
    const c = await player(server.telnetPort, 'mona');
    c.send('east');
    c.send('open chest');
    c.send('take sword from chest');
    c.close();
    const watcher = await player(server.telnetPort, 'nils');
    // The closed connection's logout is asynchronous: wait until `who` no longer lists her (bounded).
    let who = '';
    await waitUntil(async () => !/Mona/.test(who = await watcher.command('who')), 10_000, () => `who still lists Mona: ${who}`);
    expect(who).not.toMatch(/Mona/);
    await server.engine.quiesce();
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
    watcher.close();
  });

  it('world - a broken world file is refused on @reload with the checker\'s errors; the running world stays', async () => {
    const wizard = await player(server.telnetPort, 'hugh', 'secret', 'connect');
    const file = join(worldDir, 'rooms', 'plaza.yaml');
    const good = await readFile(file, 'utf8');
    await writeFile(file, good.replace('west: lantern_market', 'west: nowhere_at_all'));
    wizard.drain();
    const answer = await wizard.command('@reload');
    expect(answer).toMatch(/^Reload refused; the world stays as it was:\n[\s\S]*plaza\.yaml:\d+:\d+: [\s\S]*nowhere_at_all/);
    expect(await wizard.command('west')).toMatch(/The Lantern Market/);
    // Many errors: a screenful, and where to see the rest.
    const lost = join(worldDir, 'rooms', 'lost.yaml');
    const rooms = Array.from({ length: 12 }, (_, i) => `  lost_${i}:\n    name: Lost ${i}\n    description: Lost.\n    exits: { north: nowhere_${i} }`);
    await writeFile(lost, `rooms:\n${rooms.join('\n')}\n`);
    const many = await wizard.command('@reload');
    await rm(lost);
    expect(many.split('\n').filter((l) => /lost\.yaml:\d+:\d+: /.test(l))).toHaveLength(10);
    expect(many).toMatch(/\n\(and \d+ more: mud world check lists them all\)\n/);
    await writeFile(file, good.replace('Cobblestones worn smooth', 'Cobblestones freshly swept'));
    expect(await wizard.command('@reload')).toMatch(/^World reloaded/);
    await wizard.command('east');
    expect(await wizard.command('look')).toMatch(/Cobblestones freshly swept/);
    await writeFile(file, good);
    wizard.close();
  });
});

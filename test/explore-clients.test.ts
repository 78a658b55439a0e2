// Finding one's way as clients see it, over real sockets against a real server:
// GMCP as IRE clients read it (Room.Players a list, Room.Info's environment from
// the world file, the doors on its exits, sent again when a door moves), and
// `where` for the players about in this area.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { GMCP } from '../portal/telnet/telnet-options.js';

describe('getting around - clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('gmcp - Room.Players is a list, Room.Info has the environment and the doors, and follows a door that moves', async () => {
    const mapper = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await mapper.until(() => mapper.agreed.has(GMCP), 'GMCP agreed');
    mapper.sendGmcp('Core.Supports.Set ["Room 1"]');
    await mapper.waitText('By what name');
    mapper.send('create ireclient secret');
    const plaza = await mapper.waitGmcp('Room.Info');
    expect(plaza).toMatchObject({ name: 'The Mystical Plaza', environment: 'urban', doors: { e: 'open' } });
    const players = await mapper.waitGmcp('Room.Players');
    expect(Array.isArray(players)).toBe(true);
    expect(players).toContainEqual({ name: 'ireclient', fullname: 'Ireclient' });
    const walker = await player(server.telnetPort, 'doorwalker');
    mapper.gmcp.length = 0;
    expect(await walker.command('close east')).toBe('You close the heavy oak door.\n');
    expect(await mapper.waitGmcp('Room.Info')).toMatchObject({ name: 'The Mystical Plaza', doors: { e: 'closed' } });
    expect(await walker.command('east')).toBe('The heavy oak door is closed.\n');
    await walker.command('open east');
    expect(await mapper.waitGmcp('Room.Info', (d) => d.doors?.e === 'open')).toMatchObject({ doors: { e: 'open' } });
    await walker.command('east');
    mapper.gmcp.length = 0;
    await mapper.command('south', 'Moonlit Garden');
    expect(await mapper.waitGmcp('Room.Info')).toMatchObject({ name: 'The Moonlit Garden', environment: 'garden' });
    expect((await mapper.waitGmcp('Room.Info', (d) => d.name === 'The Moonlit Garden')).doors).toBeUndefined();
    mapper.close();
    walker.close();
  });

  it('ordinals - what is not there is named as it was typed, with its number, in the room, a container, a hand', async () => {
    const c = await player(server.telnetPort, 'ordinal');
    await c.command('east');
    expect(await c.command('look 9.sword')).toBe('You don\'t see "9.sword" here.\n');
    await c.command('open chest');
    expect(await c.command('take 4.sword from chest')).toBe('There is no "4.sword" in the iron-bound chest.\n');
    await c.command('take sword from chest');
    expect(await c.command('look 3.sword')).toBe('You don\'t see "3.sword" here.\n');
    expect(await c.command('look sword')).toMatch(/^A straight steel blade/);
    await c.command('put sword in chest');
    c.close();
  });

  it('where - the players in this area and their rooms; not those elsewhere', async () => {
    const a = await player(server.telnetPort, 'wherea');
    const b = await player(server.telnetPort, 'whereb');
    const c = await player(server.telnetPort, 'wherec');
    await b.command('west');
    await c.command('south');
    await c.command('east');
    await a.waitFor('Whereb leaves west.');
    await a.waitFor('Wherec leaves south.');
    a.drain();
    const seen = await a.command('where');
    expect(seen.split('\n')[0]).toBe('Players near you in The Lantern Quarter:');
    expect(seen).toContain('  Wherea           The Mystical Plaza\n');
    expect(seen).toContain('  Whereb           The Lantern Market\n');
    expect(seen).not.toContain('Wherec');
    expect(await c.command('where')).toContain('Players near you in The Bramble Hollow:\n  Wherec           The Bramble Hollow\n');
    for (const p of [a, b, c]) p.close();
  });
});

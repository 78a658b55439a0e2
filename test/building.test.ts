// Building from inside the game, end to end over telnet in every dispatch mode:
// a wizard digs a room, makes an item, describes them; another player sees each
// change at once; @save writes YAML the checker loads (comments kept); a restart
// serves the world from the saved files; the item audit counts what was made.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { copyDefaultWorld } from './helpers/world-copy.js';
import { loadWorld } from '../world/files/world-loader.js';
import { itemHolders, readRecords } from '../ops/item-audit.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

/** Every item held by exactly one holder, as the audit reads the store. */
async function auditProblems(server: TestServer): Promise<string[]> {
  const holders = itemHolders(await readRecords(server.store), server.engine.currentWorld.definition);
  return [...holders].filter(([, where]) => where.length !== 1).map(([item, where]) => `${item}: ${where.join(', ') || 'nobody'}`);
}

describe.each(['in-process', 'actor', 'function'] as const)('building (%s)', (mode) => {
  let server: TestServer;
  let world: Awaited<ReturnType<typeof copyDefaultWorld>>;
  let alice: TelnetClient;
  let bob: TelnetClient;
  const start = (dataDir?: string) => startTestServer({ world: world.dir, dispatch: mode, nodes: mode === 'in-process' ? 0 : 2, wizard: 'carol', dataDir });

  beforeAll(async () => {
    world = await copyDefaultWorld();
    server = await start();
    alice = await player(server.telnetPort, 'alice'); // the first account: a wizard
    bob = await player(server.telnetPort, 'bob');
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await server?.cleanup();
    await world?.remove();
  });

  it('building - dig a room with the way back; another player sees the exit at once and walks it', async () => {
    await alice.command('look');
    expect(await alice.command('@dig up bell_loft The Bell Loft')).toMatch(/^You dig up: The Bell Loft \(room bell_loft\), with the way back down\./);
    expect(await bob.command('look')).toMatch(/Exits: north, east, west, south, up\./);
    expect(await bob.command('up')).toMatch(/^The Bell Loft\nBare walls, waiting for a description\.\n[\s\S]*Exits: down\./);
    expect(await bob.command('@dig up attic')).toMatch(/Unknown command "@dig"/); // players do not build
  });

  it('building - describe, extra description, create an item: seen by the player in the room', async () => {
    await alice.command('up');
    bob.drain();
    expect(await alice.command('@desc here Bell ropes hang from a dark beam, swaying.')).toMatch(/The description of room bell_loft is set\./);
    expect(await alice.command('@extra ropes, rope = Thick hemp ropes, worn smooth.')).toMatch(/Looking at ropes, rope here now shows your text\./);
    expect(await alice.command('@create weapon rusty_axe a rusty axe')).toMatch(/You make a rusty axe \(weapon rusty_axe\); it lies here\./);
    await bob.waitFor('A rusty axe appears.');
    bob.drain();
    expect(await bob.command('look')).toMatch(/^The Bell Loft\nBell ropes hang from a dark beam, swaying\.\n[\s\S]*You see a rusty axe\./);
    expect(await bob.command('look rope')).toBe('Thick hemp ropes, worn smooth.\n');
    expect(await alice.command('@keywords rusty_axe axe rusty hatchet')).toMatch(/^The keywords of rusty_axe are set\./);
    expect(await bob.command('look hatchet')).toMatch(/A rusty axe, newly made\./);
  });

  it('building - a change the checker refuses changes nothing, with its message', async () => {
    expect(await alice.command('@extra gargoyle = A stone gargoyle.')).toMatch(/^Nothing built: the world would not load so:\nrooms\/plaza\.yaml:\d+:\d+: .*gargoyle/);
    expect(await alice.command('@dig down mystical_plaza')).toMatch(/^Nothing built: there is a room 'mystical_plaza' already/);
    expect(await alice.command('@create dragon smaug')).toMatch(/^Nothing built: "dragon" is not a kind builders make/);
  });

  it('building - @save writes YAML the checker loads, comments and untouched entries kept; the audit counts the axe', async () => {
    expect(await bob.command('take axe')).toBe('You take a rusty axe.\n');
    expect(await alice.command('@build')).toMatch(/changed room bell_loft \(rooms\/plaza\.yaml, by alice\)/);
    const areasBefore = await readFile(join(world.dir, 'areas.yaml'), 'utf8');
    const saved = await alice.command('@save');
    expect(saved).toMatch(/^Saved to the world files: .*rooms\/plaza\.yaml/);
    const areas = await readFile(join(world.dir, 'areas.yaml'), 'utf8');
    expect(areas).toContain('# Areas: who hears a shout'); // the comments stay
    expect(areas).toContain('rooms: [mystical_plaza, lantern_market, armory, old_library, observatory, moonlit_garden, bell_loft]');
    expect(areas.split('\n').length).toBe(areasBefore.split('\n').length); // one line changed, in place
    const plaza = await readFile(join(world.dir, 'rooms', 'plaza.yaml'), 'utf8');
    expect(plaza).toMatch(/ {2}bell_loft:\n {4}name: The Bell Loft\n {4}description: Bell ropes hang/);
    expect(plaza).toContain('script: ../scripts/mystical_plaza.js');
    const loaded = await loadWorld(world.dir);
    expect(loaded.ok && loaded.world.items['item/rusty_axe']?.name).toBe('a rusty axe');
    expect(await alice.command('@save')).toMatch(/^Nothing to save/);
    expect(await auditProblems(server)).toEqual([]);
  });

  it('building - after a restart the world comes from the saved files; the axe is still carried; @reload keeps it', async () => {
    await alice.command('down');
    await bob.command('down');
    alice.close();
    bob.close();
    await server.stop();
    server = await start(server.dataDir);
    alice = await player(server.telnetPort, 'alice', 'secret', 'connect');
    bob = await player(server.telnetPort, 'bob', 'secret', 'connect');
    expect(await bob.command('look')).toMatch(/^The Mystical Plaza\n[\s\S]*Exits: north, east, west, south, up\./);
    expect(await bob.command('up')).toMatch(/^The Bell Loft\nBell ropes hang/);
    expect(await bob.command('down')).toMatch(/^The Mystical Plaza/);
    expect(await bob.command('inventory')).toMatch(/a rusty axe/);
    expect(await alice.command('@reload')).toMatch(/World reloaded/);
    expect(await auditProblems(server)).toEqual([]);
  });

  it('building - @script in the line editor; @destroy an item lying here; @close the way and @destroy the room', async () => {
    expect(await alice.command('up')).toMatch(/The Bell Loft/);
    expect(await alice.command('@script')).toMatch(/^Editing the script of room bell_loft \(0 lines\)\./);
    expect(await alice.command('function enter(state, msg, ctx) {')).toBe(': '); // the editor's prompt
    await alice.command('  ctx.tell(msg.player, "The bells hum as you arrive.");');
    await alice.command('}');
    expect(await alice.command('.l')).toMatch(/^1: function enter[\s\S]*\n3: }\n: $/);
    // A script that does not compile is refused and stays in the editor, to be mended and saved.
    expect(await alice.command('.i 2   const x = ;')).toMatch(/Inserted as line 2/);
    expect(await alice.command('.s')).toMatch(/^Nothing built: the world would not load so:\n.*script does not compile[\s\S]*Still editing: mend it and \.s again/);
    expect(await alice.command('.l')).toMatch(/^1: function enter[\s\S]*\n2:   const x = ;\n[\s\S]*\n4: }\n: $/);
    expect(await alice.command('.d 2')).toMatch(/Line 2 deleted/);
    expect(await alice.command('.s')).toMatch(/The script of room bell_loft is set\./);
    await bob.command('down');
    expect(await bob.command('up')).toMatch(/The bells hum as you arrive\./);
    expect(await alice.command('@create item brass_bell a brass bell')).toMatch(/You make a brass bell/);
    expect(await alice.command('@destroy brass_bell')).toMatch(/a brass bell \(brass_bell\) is destroyed\./);
    await bob.waitFor('A brass bell crumbles to nothing.');
    bob.drain();
    expect(await bob.command('look')).not.toMatch(/brass bell/);
    expect(await alice.command('@destroy rusty_axe')).toMatch(/^Nothing built: rusty_axe is not lying here/); // bob carries it
    expect(await auditProblems(server)).toEqual([]);
    await alice.command('down');
    await bob.command('down');
    expect(await alice.command('@destroy bell_loft')).toMatch(/Nothing built: things start in bell_loft \(rusty_axe\)/);
    expect(await alice.command('@dig down cellar')).toMatch(/You dig down/);
    expect(await bob.command('look')).toMatch(/Exits: north, east, west, south, up, down\./);
    expect(await alice.command('@destroy cellar')).toMatch(/Room cellar is destroyed, with every way into it\./);
    expect(await bob.command('look')).toMatch(/Exits: north, east, west, south, up\./);
    // A way with a door on it: shut as made, opened from this side, gone with its door when closed.
    expect(await alice.command('@open down lantern_market door trapdoor')).toMatch(/You open a way down to lantern_market through a door \(trapdoor\), and the way back up\./);
    expect(await bob.command('look')).toMatch(/Exits: north, east, west, south, up, down \(closed\)\./);
    expect(await bob.command('open down')).toBe('You open the door.\n');
    expect(await bob.command('down')).toMatch(/^The Lantern Market\n[\s\S]*Exits: east, up\./);
    expect(await bob.command('up')).toMatch(/^The Mystical Plaza/);
    expect(await alice.command('@close down')).toMatch(/You close the way down to lantern_market, and the way back up\./);
    expect(await alice.command('@build')).toMatch(/destroyed item trapdoor/);
    expect(await alice.command('@save')).toMatch(/^Saved/);
    const loaded = await loadWorld(world.dir);
    expect(loaded.ok && Object.keys(loaded.world.rooms)).not.toContain('room/cellar');
    expect(loaded.ok && Object.keys(loaded.world.items)).not.toContain('item/trapdoor');
    expect(loaded.ok && loaded.world.rooms['room/bell_loft'].script?.code).toMatch(/The bells hum/);
  });
});

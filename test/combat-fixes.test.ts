// The rough edges of a fight a new player met (issue 23, "Fixes found on the
// way"), each failing before its fix: `attack fountain` printed nothing;
// `attack <player>` said the player was not here; friendly creatures could be
// killed; onlookers saw only one side of a fight; `quit` mid-fight left at once;
// every blow ended in a prompt of its own. In every dispatch mode, and over telnet.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { MODES, say, heard } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { GMCP } from '../portal/telnet/telnet-options.js';
import { loadLiveWorld } from '../bin/live-world.js';

const ANN = 'player/ann';
const BOB = 'player/bob';



describe('combat fixes', () => {
  for (const [mode, nodes] of MODES) {
    it(`combat fixes - ${mode}: scenery and players refuse a fight in words; a peaceful creature cannot be fought; onlookers see both sides`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        expect(await say(h, 'attack fountain')).toBe("You can't fight a marble fountain.");
        expect(await say(h, 'attack bob')).toBe('You cannot fight Bob: fighting other players is off in this world.');
        expect(await say(h, 'attack ann')).toBe('You cannot fight yourself.');
        for (const step of ['south', 'east']) {
          await say(h, step);
          await say(h, step, BOB);
        }
        expect(await say(h, 'attack tamsin')).toBe('Old Tamsin is not someone you can fight.');
        expect(await say(h, 'attack dog')).toBe('A scruffy dog is not someone you can fight.');
        await say(h, 'attack knight');
        await waitUntil(() => heard(h, /Ann hits a straw knight\./, BOB), 5_000, () => 'Bob did not see Ann strike');
        await waitUntil(() => heard(h, /A straw knight (hits|misses) Ann\./, BOB), 5_000, () => 'Bob did not see the knight strike back');
        expect(await say(h, 'flee')).toMatch(/^You flee/);
      } finally {
        await h.close();
      }
    }, 60_000);

    it(`combat fixes - ${mode}: a fight is left by fleeing, not by walking off; a follower who sleeps or fights stays behind`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes });
      try {
        await h.engine.connect(ANN);
        await h.engine.connect(BOB);
        for (const step of ['south', 'east']) {
          await say(h, step);
          await say(h, step, BOB);
        }
        await say(h, 'follow ann', BOB);
        await say(h, 'sleep', BOB);
        await say(h, 'west');
        await waitUntil(() => heard(h, /^You are sleeping, and cannot follow Ann west\.$/, BOB), 5_000, () => 'Bob was not told he stayed asleep');
        expect(await say(h, 'look', BOB)).toMatch(/^The Bramble Hollow/);
        await say(h, 'east');
        await say(h, 'wake', BOB);
        await say(h, 'attack knight', BOB);
        await waitUntil(() => heard(h, /A straw knight (hits|misses) you/, BOB), 5_000, () => 'the knight did not strike back');
        // Before, any step walked out of a fight: `flee` and its random way out meant nothing.
        expect(await say(h, 'west', BOB)).toBe('You are fighting a straw knight! Type "flee" to run for it.');
        await say(h, 'west');
        await waitUntil(() => heard(h, /^You are fighting, and cannot follow Ann west\.$/, BOB), 5_000, () => 'Bob was not told he fights on');
        expect(await say(h, 'score', BOB)).toContain('You are fighting a straw knight.');
        expect(await say(h, 'flee', BOB)).toMatch(/^You flee/);
        await waitUntil(async () => !/^The Bramble Hollow/.test(await say(h, 'look', BOB)), 5_000, () => 'Bob did not get away');
        expect(await say(h, 'score', BOB)).toContain('You are not fighting.');
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

/** A pond with a gnat, and the same pond after a reload without it. */
const POND = (gnat: boolean) => `
world: { name: Pond, start: bank }
rooms:
  bank: { name: The Bank, description: Mud., exits: { north: reeds } }
  reeds: { name: The Reeds, description: Buzzing., exits: { south: bank }${gnat ? ', items: [gnat]' : ''} }
${gnat ? 'items:\n  gnat: { kind: npc, name: a gnat, keywords: [gnat], description: Tiny., hp: 100000, damage: 1, respawn: 1 }\n' : ''}`;

describe('combat fixes - a creature gone from the world', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-pond-'));
    for (const [name, gnat] of [['with', true], ['without', false]] as const) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'world.yaml'), POND(gnat));
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`combat fixes - ${mode}: a creature gone from the world mid-fight (a reload without it) holds no one: the next step ends the fight`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'with') });
      try {
        await h.engine.connect(ANN);
        await say(h, 'north');
        expect(await say(h, 'attack gnat')).toMatch(/^You attack a gnat!/);
        expect(await say(h, 'south')).toBe('You are fighting a gnat! Type "flee" to run for it.');
        await h.engine.setWorld(await loadLiveWorld(join(dir, 'without')));
        expect(await say(h, 'south')).toMatch(/^The Bank/);
        expect(await say(h, 'score')).toContain('You are not fighting.');
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

const GNATS = `
world: { name: Swamp, start: bank }
rooms:
  bank:
    name: The Bank
    description: Mud.
    exits: { north: reeds }
  reeds:
    name: The Reeds
    description: Buzzing.
    exits: { south: bank }
    items: [gnat, midge]
items:
  gnat: { kind: npc, name: a gnat, keywords: [gnat], description: Tiny., hp: 100000, damage: 2, respawn: 1 }
  midge: { kind: npc, name: a midge, keywords: [midge], description: Tinier., hp: 1, damage: 0, respawn: 1m }
`;

describe('combat fixes over telnet', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-gnats-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), GNATS);
    server = await startTestServer({ world: join(dir, 'world') });
  });
  afterAll(async () => {
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('combat fixes - a round reaches the fighter in one piece with one prompt; quit mid-fight waits while the fight goes on', async () => {
    const c = await RawTelnet.open(server.telnetPort, {});
    await c.waitText('By what name');
    await c.command('create swatter secret', /Welcome[^\u0007]*\u0007/);
    await c.command('config prompt always', /Saved[^\u0007]*\u0007/); // as a player logged in by hand has it
    await c.command('north', /The Reeds[^\u0007]*\u0007/);
    const from = c.text.length;
    c.send('attack gnat');
    await c.until(() => (c.text.slice(from).match(/You hit a gnat/g) ?? []).length >= 3, 'three rounds');
    // Split at the prompt marks: every piece with a blow also holds the answer to it.
    const pieces = c.text.slice(from).split('\u0007').filter((p) => /You hit a gnat/.test(p));
    expect(pieces.length, JSON.stringify(c.text.slice(from))).toBeGreaterThanOrEqual(3);
    for (const piece of pieces) expect(piece).toMatch(/You hit a gnat with your fists for 1\.[^\n]*\r?\nA gnat (hits you for \d+|misses you)/);

    const quitAt = c.text.length;
    c.send('quit');
    await c.until(() => c.closed, 'the connection to close', 15_000);
    const after = c.text.slice(quitAt);
    expect(after).toContain('You turn to leave, but the fight holds you: you will be gone in 5 seconds.');
    const farewell = after.indexOf('Farewell!');
    expect(farewell).toBeGreaterThan(0);
    expect(after.slice(0, farewell)).toMatch(/You hit a gnat/);
  }, 30_000);

  it('combat fixes - a link cut mid-fight is no way out: the fight goes on while the character stands link-dead, and a new connection is back in it', async () => {
    const fighter = await RawTelnet.open(server.telnetPort, {});
    await fighter.waitText('By what name');
    await fighter.command('create cutter secret', /Welcome[^\u0007]*\u0007/);
    const onlooker = await RawTelnet.open(server.telnetPort, {});
    await onlooker.waitText('By what name');
    await onlooker.command('create watcher secret', /Welcome[^\u0007]*\u0007/);
    await fighter.command('north', /The Reeds[^\u0007]*\u0007/);
    await onlooker.command('north', /The Reeds[^\u0007]*\u0007/);
    fighter.send('attack gnat');
    await onlooker.until(() => /Cutter hits a gnat\./.test(onlooker.text), 'the fight to start');
    fighter.close();
    const cutAt = onlooker.text.length;
    await onlooker.until(() => onlooker.text.slice(cutAt).includes('Cutter has lost the link.'), 'the link to be lost');
    // Before, the fighter left the moment the line dropped, in the middle of the round: now the fight goes on.
    const lostAt = onlooker.text.length;
    await onlooker.until(() => /Cutter hits a gnat\./.test(onlooker.text.slice(lostAt)), 'a blow after the link was lost', 15_000);
    const back = await RawTelnet.open(server.telnetPort, {});
    await back.waitText('By what name');
    await back.command('connect cutter secret', /Welcome[^\u0007]*\u0007/);
    await onlooker.until(() => onlooker.text.slice(lostAt).includes('Cutter has reconnected.'), 'the fighter back');
    await back.command('score', 'You are fighting a gnat.');
    await back.until(() => /You hit a gnat/.test(back.text), 'the fight to reach the new connection', 15_000);
    expect(onlooker.text.slice(cutAt)).not.toContain('Cutter fades from view.');
    back.close();
    onlooker.close();
  }, 30_000);

  it('combat fixes - Char.Items marks creatures (m) and the dead (d); look lists a dead one as a body', async () => {
    const c = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await c.until(() => c.agreed.has(GMCP), 'GMCP agreed');
    c.sendGmcp('Core.Supports.Set ["Char 1"]');
    await c.waitText('By what name');
    await c.command('create gmcpswat secret', /Welcome[^\u0007]*\u0007/);
    c.gmcp.length = 0;
    await c.command('north', /The Reeds[^\u0007]*\u0007/);
    const alive = await c.waitGmcp('Char.Items.List', (d) => d.location === 'room');
    expect(alive.items).toContainEqual({ id: 'item/midge', name: 'a midge', attrib: 'm' });
    c.gmcp.length = 0;
    await c.command('attack midge', /It collapses, dead\.[^\u0007]*\u0007/);
    const dead = await c.waitGmcp('Char.Items.List', (d) => d.location === 'room' && d.items.some((i: { attrib?: string }) => i.attrib === 'md'));
    expect(dead.items).toContainEqual({ id: 'item/midge', name: 'a midge', attrib: 'md' });
    expect(await c.command('look', /\u0007/)).toMatch(/You see a gnat and the body of a midge\./);
    c.close();
  }, 30_000);
});

// Health between fights, as a player meets it: hit points come back on a
// durable timer, faster resting and asleep; a sleeper cannot walk; the client
// gets Char.Vitals at login and on every change, and the prompt shows hit
// points while they matter, or as the player shapes it. Every dispatch mode.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { MODES, say } from './helpers/transcript.js';
import { waitUntil } from './helpers/nats-server.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import { GMCP } from '../portal/telnet/telnet-options.js';
import { REGEN_PER_TICK } from '../world/core/health.js';

const ANN = 'player/ann';

export const WASP_WORLD = `
world: { name: Nest, start: gate }
rooms:
  gate:
    name: The Gate
    description: Safe ground.
    exits: { north: nest }
  nest:
    name: The Nest
    description: Paper walls, a drone.
    exits: { south: gate }
    items: [wasp]
items:
  wasp: { kind: npc, name: an angry wasp, keywords: [wasp], description: Stripy., hp: 1000, damage: 20, respawn: 1 }
`;


async function playerState(h: EngineHarness): Promise<{ hp?: number; regenTimer?: string | null; position?: string }> {
  await h.engine.quiesce();
  return ((await h.store.get(ANN))?.value as { state: { hp?: number } }).state;
}

/** Stung once, then out of the fight: the player is hurt and not fighting. */
async function stung(h: EngineHarness): Promise<number> {
  await say(h, 'north');
  expect(await say(h, 'attack wasp')).toMatch(/An angry wasp hits you for \d+ \(\d+\/100\)\./);
  expect(await say(h, 'flee')).toMatch(/^You flee south!/);
  const hp = (await playerState(h)).hp!;
  expect(hp).toBeLessThan(100);
  return hp;
}

describe('health', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-health-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), WASP_WORLD);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const [mode, nodes] of MODES) {
    it(`health - ${mode}: hit points come back on their timer, faster resting; a resting or sleeping player does not walk`, async () => {
      const h = await engineHarness({ dispatch: mode, nodes, worldDir: join(dir, 'world') });
      try {
        await h.engine.connect(ANN);
        const hurt = await stung(h);
        expect((await playerState(h)).regenTimer).toMatch(/^t/);
        await waitUntil(async () => ((await playerState(h)).hp ?? 100) > hurt, 15_000, () => 'no hit points came back standing');
        const standing = (await playerState(h)).hp!;
        expect(standing).toBe(Math.min(100, hurt + REGEN_PER_TICK.standing));

        expect(await say(h, 'rest')).toBe('You sit down and rest.');
        expect(await say(h, 'rest')).toBe('You are already resting.');
        expect(await say(h, 'north')).toBe('You are resting. ("stand" first.)');
        expect(await say(h, 'score')).toMatch(/You are resting\.$/);
        await waitUntil(async () => ((await playerState(h)).hp ?? 100) > standing, 15_000, () => 'no hit points came back resting');
        expect((await playerState(h)).hp).toBe(Math.min(100, standing + REGEN_PER_TICK.resting));

        expect(await say(h, 'sleep')).toBe('You lie down and go to sleep.');
        expect(await say(h, 'attack wasp')).toBe('You are asleep. ("wake" first.)');
        expect(await say(h, 'wake')).toBe('You wake and stand up.');
        expect(await say(h, 'wake')).toBe('You are not asleep.');
        expect(await say(h, 'north')).toMatch(/^The Nest/);
        expect((await playerState(h)).position).toBe('standing');
      } finally {
        await h.close();
      }
    }, 60_000);
  }

  it('health - a whole player holds no regeneration timer; a fight cannot be rested through', async () => {
    const h = await engineHarness({ dispatch: 'in-process', nodes: 0, worldDir: join(dir, 'world') });
    try {
      await h.engine.connect(ANN);
      expect((await playerState(h)).regenTimer ?? null).toBeNull();
      await say(h, 'north');
      await say(h, 'attack wasp');
      expect(await say(h, 'rest')).toBe('Not in the middle of a fight!');
      expect(await say(h, 'sleep')).toBe('Not in the middle of a fight!');
    } finally {
      await h.close();
    }
  }, 30_000);
});

describe('health - vitals and the prompt over telnet', () => {
  let dir: string;
  let server: TestServer;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-health-telnet-'));
    await mkdir(join(dir, 'world'));
    await writeFile(join(dir, 'world', 'world.yaml'), WASP_WORLD);
    server = await startTestServer({ world: join(dir, 'world') });
  });
  afterAll(async () => {
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  const lastPrompt = (c: RawTelnet) => c.text.slice(c.text.lastIndexOf('\n') + 1);

  it('health - Char.Vitals at login and on each change; the default prompt shows hit points while hurt', async () => {
    const c = await RawTelnet.open(server.telnetPort, { gmcp: true });
    await c.until(() => c.agreed.has(GMCP), 'GMCP agreed');
    c.sendGmcp('Core.Supports.Set ["Char 1"]');
    await c.waitText('By what name');
    c.send('create vita secret');
    expect(await c.waitGmcp('Char.Vitals')).toEqual({ hp: 100, maxhp: 100, position: 'standing', fighting: false, level: 1, xp: 0 });
    await c.until(() => /Welcome[^\u0007]*\u0007/.test(c.text), 'the first prompt');
    expect(lastPrompt(c)).toBe('> \u0007');
    await c.command('north', 'The Nest');
    c.gmcp.length = 0;
    await c.command('attack wasp', /hits you for \d+[^\u0007]*\u0007/);
    const hit = await c.waitGmcp('Char.Vitals', (d) => d.hp < 100);
    expect(hit).toMatchObject({ maxhp: 100, fighting: true });
    expect(lastPrompt(c)).toBe(`${hit.hp}/100hp fighting> \u0007`);
    await c.command('flee', /flee south[^\u0007]*\u0007/);
    expect(await c.waitGmcp('Char.Vitals', (d) => d.fighting === false)).toMatchObject({ hp: hit.hp });
    expect(lastPrompt(c)).toMatch(/^\d+\/100hp> \u0007$/);
    await c.command('rest', /rest\.[^\u0007]*\u0007/);
    expect(await c.waitGmcp('Char.Vitals', (d) => d.position === 'resting')).toBeTruthy();
    expect(lastPrompt(c)).toMatch(/^\d+\/100hp resting> \u0007$/);
    c.close();
  }, 30_000);

  it('health - a plain telnet client gets the same prompt; prompt <format> shapes it, is kept, and bad formats change nothing', async () => {
    const c = await RawTelnet.open(server.telnetPort, {});
    await c.waitText('By what name');
    await c.command('create plainer secret', /Welcome[^\u0007]*\u0007/);
    expect(await c.command('prompt', /\u0007/)).toContain('Your prompt: default');
    expect(await c.command('prompt %h of %H %q', /\u0007/)).toContain('"%q" means nothing in a prompt');
    expect(lastPrompt(c)).toBe('> \u0007');
    await c.command('prompt <%h/%Hhp %p>', /Your prompt is now: <%h\/%Hhp %p> [^\u0007]*\u0007/);
    expect(lastPrompt(c)).toBe('<100/100hp > \u0007');
    await c.command('north', 'The Nest');
    await c.command('attack wasp', /hits you for \d+[^\u0007]*\u0007/);
    expect(lastPrompt(c)).toMatch(/^<\d+\/100hp fighting> \u0007$/);
    await c.command('flee', /flee south[^\u0007]*\u0007/);
    c.close();
    const again = await RawTelnet.open(server.telnetPort, {});
    await again.waitText('By what name');
    await again.command('connect plainer secret', /Welcome[^\u0007]*\u0007/);
    expect(lastPrompt(again)).toMatch(/^<\d+\/100hp > \u0007$/);
    await again.command('prompt default', /default again[^\u0007]*\u0007/);
    expect(lastPrompt(again)).toMatch(/^\d+\/100hp> \u0007$/);
    again.close();
  }, 30_000);
});

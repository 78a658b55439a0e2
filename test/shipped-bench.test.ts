import { describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { BOT_PASSWORD, botName } from '../bench/bots.js';
import { ServedServer } from '../bench/served-server.js';
import { SHIPPED_CELLS } from '../bench/shipped-load.js';
import { homesOf, PLAZA, PLAZA_HOME } from '../bench/shipped-world.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

// The shipped bench cells (bench/shipped-load.ts) must measure what ships: the
// default world with its scripts and creatures, served by `mud serve` itself,
// and their scriptless companion exactly that world without the plaza's script.

const cell = (name: string) => {
  const c = SHIPPED_CELLS.find((x) => x.name === name);
  if (!c) throw new Error(`no shipped cell ${name}`);
  return c;
};

/** One account created over telnet on a fresh `mud serve` of `world`: the answers to its creation and to `commands`. */
async function session(world: string, commands: string[]): Promise<string[]> {
  const server = await ServedServer.start({ world, dispatch: 'in-process', nodes: 0 });
  let c: TelnetClient | undefined;
  try {
    c = await TelnetClient.open(server.telnetPort);
    await c.nextAnswer(30_000);
    const answers = [await c.command(`create ${botName(0)} ${BOT_PASSWORD}`, 30_000)];
    for (const line of commands) answers.push(await c.command(line, 10_000));
    return answers;
  } finally {
    c?.close();
    await server.stop();
  }
}

/** Around the default world's plaza: out east and back, then south to the garden's owl and on to the hollow. */
async function tour(world: string): Promise<{ arrival: string; back: string; owl: string; hollow: string }> {
  const [arrival, look, out, back, , owl, hollow] = await session(world, ['look', PLAZA_HOME.out, PLAZA_HOME.back, 'south', 'say owl', 'east']);
  expect(look).toContain('The Mystical Plaza');
  expect(out).toContain('The Old Armory');
  return { arrival, back, owl, hollow };
}

describe('bench - the shipped cells run the shipped world', () => {
  it('hot-shipped and spread-shipped load the default world; the bots live in the plaza or in every room of it', async () => {
    expect(await cell('hot-shipped').world()).toBe(DEFAULT_WORLD);
    expect(await cell('spread-shipped').world()).toBe(DEFAULT_WORLD);
    expect((await cell('hot-shipped').homes(DEFAULT_WORLD)).map((h) => h.room)).toEqual([PLAZA]);
    const homes = await cell('spread-shipped').homes(DEFAULT_WORLD);
    expect(homes.map((h) => h.room).sort()).toEqual(
      ['armory', 'bramble_hollow', 'lantern_market', 'moonlit_garden', 'mystical_plaza', 'observatory', 'old_library', 'wyrm_den'].map((r) => `room/${r}`),
    );
    expect(homes).toEqual(await homesOf(DEFAULT_WORLD));
  });

  it('the shipped plaza greets an arrival through its script; the other scripts and creatures are there', async () => {
    const t = await tour(await cell('hot-shipped').world());
    expect(t.arrival).toContain('The fountain is in a');
    expect(t.back).toContain('The Mystical Plaza');
    expect(t.owl).toContain('an owl answers: "Hoo?"');
    expect(t.hollow).toContain('old Tamsin');
  }, 120_000);

  it('hot-scriptless is the same world with only the plaza\'s script gone', async () => {
    const world = await cell('hot-scriptless').world();
    expect(world).not.toBe(DEFAULT_WORLD);
    const t = await tour(world);
    expect(t.arrival).toContain('Welcome, ');
    expect(t.arrival).not.toContain('The fountain is in a');
    expect(t.back).toContain('The Mystical Plaza');
    expect(t.owl).toContain('an owl answers: "Hoo?"');
    expect(t.hollow).toContain('old Tamsin');
  }, 120_000);

  it('scripted runs a script on every room and keeper; scripted-bare has the same keepers and none', async () => {
    const walk = ['south', 'say hello echo'];
    const [, south, said] = await session(await cell('scripted').world(), walk);
    expect(south).toContain('The keeper looks up and nods to you');
    expect(said).toContain('The walls echo: hello echo');
    const [, bareSouth, bareSaid] = await session(await cell('scripted-bare').world(), walk);
    expect(bareSouth).toContain('a room keeper');
    expect(bareSouth).not.toContain('The keeper looks up');
    expect(bareSaid).not.toContain('The walls echo');
  }, 120_000);
});

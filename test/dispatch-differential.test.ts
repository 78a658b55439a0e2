// The same scripted multi-player session gives the same transcript whether
// turns run in-process, as homed actors on worker threads, or as stateless
// functions with compare-and-swap: the dispatcher changes where, not what.
// Besides walking, items, doors, groups and a quest, it has a fight won (its
// lines compared as a set: its turns run on timers), loot sold, a purchase at
// Pell's stall, a trade between the two players, and a death: Alice falls to
// the Wyrm, wakes in the plaza with nothing, and Bob loots her corpse. The
// default world's Wyrm needs seventeen rounds to kill a new player, so the
// session runs in a copy of the default world whose Wyrm kills with one blow.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { waitUntil } from './helpers/nats-server.js';
import { copyDefaultWorld } from './helpers/world-copy.js';

/** A fight: `${FIGHT}<creature>|<line>` attacks and waits (deadline-bounded) until the player is told `<line>`.
 *  Its rounds run on timers, and the loot falling (the room's turns) and the blows (the fighter's) are told in
 *  whichever order their turns ran: the lines it made are compared as a set, sorted. */
const FIGHT = '@fight ';
/** `${AUDIT}<when>`: every item and coin still exists exactly once at that point (the audit reads corpses too). */
const AUDIT = '@audit ';

const SCRIPT: Array<[string, string]> = [
  ['alice', 'look'], ['bob', 'say hello, alice'], ['alice', ':waves back'],
  ['alice', 'east'], ['alice', 'open chest'], ['bob', 'east'], ['bob', 'look chest'],
  ['alice', 'take 2.sword from chest'], ['bob', 'take sword from chest'], ['alice', 'take sword from chest'],
  ['alice', 'inventory'], ['bob', 'inventory'], ['alice', 'wield magic_sword'], ['alice', 'wield damaged'],
  ['bob', 'examine alice'], ['bob', 'put sword in chest'], ['bob', 'close chest'], ['alice', 'put damaged in chest'],
  ['alice', 'drop sword'], ['bob', 'take sword'], ['bob', 'west'], ['bob', 'south'], ['bob', 'take key'],
  ['bob', 'say owl'], ['bob', 'north'], ['bob', 'north'], ['bob', 'up'], ['bob', 'unlock strongbox'],
  ['bob', 'open strongbox'], ['bob', 'look strongbox'], ['alice', 'look'], ['alice', 'west'], ['alice', ':dances'],
  // A social aimed at a player; a group walking through a door its leader opens; Old Tamsin's quest asked, taken and finished.
  ['bob', 'down'], ['bob', 'take candle'], ['bob', 'south'], ['alice', 'nod bob'], ['bob', 'bow to alice'],
  ['bob', 'follow alice'], ['alice', 'group bob'], ['alice', 'close east'], ['alice', 'east'], ['alice', 'open east'], ['alice', 'east'],
  ['alice', 'west'], ['bob', 'gtell back again'], ['alice', 'score'], ['bob', 'follow me'],
  // One at a time where creatures greet arrivals: a follower's arrival and a greeting for the leader race in some modes.
  ['alice', 'south'], ['alice', 'east'], ['bob', 'south'], ['bob', 'east'], ['bob', 'ask tamsin about her lamp'], ['bob', 'give candle to tamsin'],
  // A fight (its rounds on their timers: the session waits for its end, well before Tamsin's muttering), the loot picked up and sold, a purchase, a trade.
  ['alice', 'wield sword'], ['alice', `${FIGHT}rat|It collapses, dead.`], ['alice', 'get all'], ['alice', 'gold'],
  ['alice', 'west'], ['alice', 'north'], ['alice', 'west'], ['alice', 'sell tail'], ['alice', 'buy candle'], ['alice', 'gold'],
  ['bob', 'west'], ['bob', 'north'], ['bob', 'west'], ['alice', 'trade bob'], ['alice', 'offer candle'], ['bob', 'offer key'],
  ['alice', 'accept'], ['bob', 'accept'], ['alice', 'inventory'], ['bob', 'inventory'],
  // A death: Alice, carrying her sword and the key, falls to the Wyrm at its first blow and wakes in the plaza
  // with nothing; her corpse in the den holds what she carried, and Bob loots it.
  ['alice', 'east'], ['alice', 'south'], ['alice', 'east'], ['alice', 'down'], ['alice', 'attack wyrm'],
  ['alice', 'inventory'], ['alice', 'score'], ['alice', `${AUDIT}Alice's things in her corpse`],
  ['bob', 'east'], ['bob', 'south'], ['bob', 'east'], ['bob', 'down'], ['bob', 'look corpse'],
  ['bob', 'get all from corpse'], ['bob', 'look corpse'], ['bob', 'inventory'],
];

/** The default world in a temporary directory, its Wyrm's blow made deadly to anyone, and without its script: it
 *  sleeps on the world's clock (three minutes in fifteen), and asleep it would strike no one. */
async function deadlyWyrmWorld(): Promise<Awaited<ReturnType<typeof copyDefaultWorld>>> {
  const world = await copyDefaultWorld();
  const file = join(world.dir, 'items', 'creatures.yaml');
  const yaml = await readFile(file, 'utf8');
  const wyrm = /(lantern_wyrm:[\s\S]*?\n\s+damage: )\d+/;
  const script = /(lantern_wyrm:[\s\S]*?)\n {4}script: \|\n(?: {6}.*\n|\n)*/;
  if (!wyrm.test(yaml) || !script.test(yaml)) throw new Error(`no lantern_wyrm damage or script in ${file}`);
  await writeFile(file, yaml.replace(wyrm, '$11000').replace(script, '$1\n\n'));
  return world;
}

async function transcript(dispatch: string, worldDir: string): Promise<{ lines: Record<string, string[]>; conservation: string[] }> {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2, worldDir });
  const conservation: string[] = [];
  try {
    await h.engine.connect('player/alice');
    await h.engine.connect('player/bob');
    for (const [who, line] of SCRIPT) {
      if (line.startsWith(AUDIT)) {
        await h.engine.quiesce();
        conservation.push(...(await conservationErrors(h.store, h.world.definition)).map((e) => `${line.slice(AUDIT.length)}: ${e}`));
        continue;
      }
      if (!line.startsWith(FIGHT)) {
        await h.type(`player/${who}`, line);
        continue;
      }
      const [creature, end] = line.slice(FIGHT.length).split('|');
      const before = new Map([...h.lines].map(([p, l]) => [p, l.length]));
      const told = () => h.lines.get(`player/${who}`) ?? [];
      await h.type(`player/${who}`, `attack ${creature}`);
      await waitUntil(() => told().some((l) => l.includes(end)), 30_000, () => `${who} never heard "${end}":\n${told().slice(-8).join('\n')}`);
      await h.engine.quiesce();
      for (const [p, l] of h.lines) l.push(...l.splice(before.get(p) ?? 0).sort());
    }
    await h.engine.disconnect('player/alice');
    await h.engine.disconnect('player/bob');
    conservation.push(...(await conservationErrors(h.store, h.world.definition)));
    return { lines: Object.fromEntries(h.lines), conservation };
  } finally {
    await h.close();
  }
}

describe('dispatch differential', () => {
  let world: Awaited<ReturnType<typeof deadlyWyrmWorld>>;
  beforeAll(async () => {
    world = await deadlyWyrmWorld();
  });
  afterAll(async () => {
    await world.remove();
  });

  it('differential - in-process, actor, function and a mixed table give the same transcript', async () => {
    const base = await transcript('in-process', world.dir);
    expect(base.lines['player/alice'].join('\n')).toMatch(/You take a rune-etched sword from the iron-bound chest\./);
    expect(base.lines['player/bob'].join('\n')).toMatch(/Inside you see a folded star chart and a silver coin/);
    expect(base.lines['player/bob'].join('\n')).toContain('Alice nods to you.\nYou bow before Alice.');
    expect(base.lines['player/bob'].join('\n')).toContain('Alice opens the heavy oak door.\nAlice leaves east.');
    expect(base.lines['player/bob'].join('\n')).toContain('You follow Alice east.\nThe Old Armory');
    expect(base.lines['player/alice'].join('\n')).toContain('[group] Bob: back again');
    expect(base.lines['player/bob'].join('\n')).toContain('[Quest: A Light for Old Tamsin. Find a candle and give it to her.]\nYou give a stub of candle to old Tamsin.');
    expect(base.lines['player/bob'].join('\n')).toContain('[Quest complete: A Light for Old Tamsin.]');
    expect(base.lines['player/alice'].join('\n')).toContain('You lead a group: Bob.');
    // A fight won, its loot picked up and sold, a purchase, and a trade settled on both sides.
    expect(base.lines['player/alice']).toEqual(expect.arrayContaining([
      'You attack a fat hedge rat!',
      // The loot falls after the blow that killed, told with it.
      'You hit a fat hedge rat with a slightly damaged steel sword for 5. It collapses, dead.\nA rat\'s tail falls from a fat hedge rat.\n3 gold coins fall from a fat hedge rat.',
      'You pick up 3 gold coins.', 'You sell a rat\'s tail to Pell the lantern maker for a gold coin.', 'You buy a tallow candle from Pell the lantern maker for 4 gold coins.',
      'The trade with Bob is done: you gave a tallow candle and got a small brass key.',
    ]));
    expect(base.lines['player/bob']).toEqual(expect.arrayContaining(['Alice hits a fat hedge rat. It collapses, dead.', 'The trade with Alice is done: you gave a small brass key and got a tallow candle.']));
    // A death: Alice wakes in the plaza with nothing; her corpse in the den holds what she carried, and Bob loots it.
    const alice = base.lines['player/alice'].join('\n');
    expect(alice).toMatch(/The Lantern Wyrm hits you for \d+ \(0\/100\)\.\nThe Lantern Wyrm strikes you down\. Everything goes dark\.\.\.\n/);
    expect(alice).toContain('You wake with nothing but your life. What you carried lies with your corpse where you fell.\nThe Mystical Plaza');
    expect(alice).toMatch(/You are carrying nothing\.\nAlice\n  Hit points: 100\/100\n[^]*  Carrying: 0 things\n  Gold: none/);
    const bob = base.lines['player/bob'].join('\n');
    expect(bob).toContain('You see the Lantern Wyrm and the corpse of Alice.');
    expect(bob).toMatch(/It holds a slightly damaged steel sword and a small brass key\.\nYou take a slightly damaged steel sword and a small brass key from the corpse of Alice\.\n[^\n]+\nNothing is left on it\./);
    expect(base.conservation).toEqual([]);
    for (const mode of ['actor', 'function', 'room=function,item=actor,default=in-process']) {
      const other = await transcript(mode, world.dir);
      expect(other.lines, mode).toEqual(base.lines);
      expect(other.conservation, mode).toEqual([]);
    }
  }, 60_000);
});

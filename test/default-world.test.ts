import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadWorld } from '../world/files/world-loader.js';
import { formatWorldError, type WorldDefinition } from '../world/files/world-def.js';
import { World } from '../world/core/world.js';
import type { ItemDef, Json, Msg, RoomDef, ScriptInput, ScriptOutcome } from '../world/core/types.js';

const DEFAULT_WORLD = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'data', 'worlds', 'default');

let def: WorldDefinition;
let world: World;

beforeAll(async () => {
  const result = await loadWorld(DEFAULT_WORLD);
  if (!result.ok) throw new Error(`default world has errors:\n${result.errors.map(formatWorldError).join('\n')}`);
  def = result.world;
  // A generous limit: hook calls are timed by the wall clock, and test machines get busy.
  world = World.create(def, { scriptTimeoutMs: 2000 });
});

const room = (id: string) => def.rooms[`room/${id}`] as RoomDef;
const item = (id: string) => def.items[`item/${id}`] as ItemDef;

describe('the default world', () => {
  it('loads with zero errors', async () => {
    expect(await loadWorld(DEFAULT_WORLD)).toMatchObject({ ok: true });
  });

  it('has at least six rooms, all reachable from the plaza where it starts', () => {
    expect(def.startRoom).toBe('room/mystical_plaza');
    expect(Object.keys(def.rooms).length).toBeGreaterThanOrEqual(6);
    const seen = new Set<string>([def.startRoom]);
    const queue = [def.startRoom];
    while (queue.length) for (const to of Object.values(def.rooms[queue.shift()!].exits)) if (!seen.has(to) && seen.add(to)) queue.push(to);
    expect([...seen].sort()).toEqual(Object.keys(def.rooms).sort());
  });

  it('keeps a closed, unlocked chest in the armory with two swords and a magic sword', () => {
    expect(room('armory').items).toContain('item/chest');
    expect(item('chest')).toMatchObject({ kind: 'container', props: { open: false, locked: false } });
    expect(item('chest').contents).toEqual(['item/sword.1', 'item/sword.2', 'item/magic_sword']);
    expect(item('sword.1')).toMatchObject({ kind: 'weapon', props: { condition: 100 } });
    const damaged = item('sword.2');
    expect(damaged.kind).toBe('weapon');
    expect(damaged.props.condition).toBeGreaterThanOrEqual(40);
    expect(damaged.props.condition).toBeLessThan(80);
    expect(damaged.name).toMatch(/damaged/);
    expect(damaged.keywords).toEqual(expect.arrayContaining(['sword', 'damaged']));
    expect(item('magic_sword')).toMatchObject({ kind: 'magic_weapon', props: { charges: expect.any(Number), cooldown: expect.any(Number) } });
  });

  it('has a locked container whose key lies in another room', () => {
    const locked = Object.values(def.items).filter((i) => i.kind === 'container' && i.props.locked === true);
    expect(locked.length).toBeGreaterThan(0);
    const box = locked[0];
    const key = def.items[box.props.key as string];
    expect(key.kind).toBe('key');
    const roomOf = (ref: string) => Object.values(def.rooms).find((r) => r.items.includes(ref))?.ref;
    expect(roomOf(key.ref)).toBeDefined();
    expect(roomOf(key.ref)).not.toBe(roomOf(box.ref));
  });

  it('has ordinary items to take and drop', () => {
    const takeable = Object.values(def.items).filter((i) => i.kind === 'item' && i.takeable);
    expect(takeable.length).toBeGreaterThanOrEqual(3);
  });
});

describe('World over the default world', () => {
  it('resolves refs, shards and hooks', () => {
    expect(world.startRoom).toBe('room/mystical_plaza');
    expect(world.definition).toBe(def);
    expect(world.def('room/mystical_plaza~2')).toBe(room('mystical_plaza'));
    expect(world.def('item/sword.2')).toBe(item('sword.2'));
    expect(world.def('item/nothing')).toBeUndefined();
    expect(world.def('player/alice')).toBeUndefined();
    for (const hook of ['init', 'enter', 'exit', 'emote']) expect(world.hook('room/mystical_plaza', hook)).toBeTypeOf('function');
    expect(world.hook('room/mystical_plaza~3', 'enter')).toBe(world.hook('room/mystical_plaza', 'enter'));
    expect(world.hook('room/mystical_plaza', 'say')).toBeUndefined();
    expect(world.hook('room/armory', 'enter')).toBeUndefined();
    expect(world.hook('room/moonlit_garden', 'say')).toBeTypeOf('function');
    expect([...world.refs('room')].sort()).toEqual(Object.keys(def.rooms).sort());
    expect([...world.refs()].length).toBe(Object.keys(def.rooms).length + Object.keys(def.items).length);
  });

  it('refuses a definition whose scripts do not compile', () => {
    const broken = structuredClone(def);
    broken.rooms['room/armory'].script = { file: 'armory.js', line: 1, code: 'function enter( {' };
    expect(() => World.create(broken)).toThrow(/armory\.js:1:\d+/);
  });
});

describe('the plaza script', () => {
  const occupants = (n: number) => Array.from({ length: n }, (_, i) => ({ ref: `player/p${i}`, name: `P${i}` }));
  const call = (type: string, state: Json, msg: Partial<Msg>, seed = 1, crowd = 1, now = 1_000): ScriptOutcome => {
    const input: ScriptInput = {
      state,
      msg: { id: `m-${type}-${seed}`, type, ...msg } as Msg,
      self: 'room/mystical_plaza',
      here: { name: 'The Mystical Plaza', occupants: occupants(crowd), contents: [] },
      now,
      seed,
      timerBase: `t${seed}`,
    };
    return world.hook('room/mystical_plaza', type)!(input);
  };
  const ok = (o: ScriptOutcome) => {
    if (!o.ok) throw new Error(o.error);
    return o;
  };

  it('init sets up a visitor count and a mood', () => {
    const state = ok(call('init', {}, {})).state as { visitors: number; mood: string };
    expect(state.visitors).toBe(0);
    expect(typeof state.mood).toBe('string');
  });

  it('enter counts the visitor and greets them, noting the crowd', () => {
    const start = { visitors: 4, mood: 'playful', pigeonFlights: 0 };
    const alone = ok(call('enter', start, { player: 'player/alice', name: 'Alice', from: null, dir: null }));
    expect(alone.state).toMatchObject({ visitors: 5 });
    expect(alone.effects.every((e) => e.t === 'tell' && e.to === 'player/alice')).toBe(true);
    expect(alone.effects.map((e) => (e.t === 'tell' ? e.text : '')).join(' ')).toMatch(/to yourself/);
    const crowded = ok(call('enter', start, { player: 'player/alice', name: 'Alice', from: null, dir: null }, 1, 40));
    expect(crowded.effects.map((e) => (e.t === 'tell' ? e.text : '')).join(' ')).toMatch(/packed/);
    const greetings = new Set([1, 2, 3, 4, 5, 6, 7, 8].map((seed) => {
      const out = ok(call('enter', start, { player: 'player/alice', name: 'Alice', from: null, dir: null }, seed));
      return out.effects[0].t === 'tell' ? out.effects[0].text : '';
    }));
    expect(greetings.size).toBeGreaterThan(1);
  });

  it('enter greets a visitor once per visit window, in a grammatical mood line', () => {
    const alice = { player: 'player/alice', name: 'Alice', from: null, dir: null };
    const first = ok(call('enter', { visitors: 0, mood: 'sparkling', greeted: {} }, alice, 1, 1, 1_000));
    expect(first.effects.map((e) => (e.t === 'tell' ? e.text : ''))[1]).toBe('The fountain is in a sparkling mood today. You have the plaza to yourself.');
    const back = ok(call('enter', first.state!, alice, 2, 1, 1_000 + 60_000));
    expect(back.effects).toEqual([]);
    expect(back.state).toMatchObject({ visitors: 2 });
    const later = ok(call('enter', back.state!, alice, 3, 1, 1_000 + 11 * 60_000));
    expect(later.effects).toHaveLength(2);
    const bob = ok(call('enter', back.state!, { ...alice, player: 'player/bob', name: 'Bob' }, 4, 2, 1_000 + 120_000));
    expect(bob.effects).toHaveLength(2);
  });

  it('exit bids farewell to the room', () => {
    const out = ok(call('exit', { visitors: 1 }, { player: 'player/alice', name: 'Alice', to: 'room/armory', dir: 'east' }));
    expect(out.state).toBeUndefined();
    expect(out.effects).toEqual([{ t: 'tellRoom', room: 'room/mystical_plaza', text: expect.stringContaining('Alice') }]);
  });

  it('emote sometimes startles the pigeons, counting their flights', () => {
    const outcomes = Array.from({ length: 40 }, (_, seed) => ok(call('emote', { pigeonFlights: 2 }, { player: 'player/alice', name: 'Alice', text: 'waves.' }, seed)));
    const flights = outcomes.filter((o) => o.effects.length > 0);
    expect(flights.length).toBeGreaterThan(0);
    expect(flights.length).toBeLessThan(outcomes.length);
    for (const o of flights) expect(o.state).toMatchObject({ pigeonFlights: 3 });
    for (const o of outcomes.filter((x) => x.effects.length === 0)) expect(o.state).toBeUndefined();
  });
});

describe("Old Tamsin's secret: the wyrm sleeps when the fountain runs down", () => {
  const QUARTER = 15 * 60 * 1000;
  const LOW = 2 * QUARTER + 60_000; // a minute into the third quarter hour: the fountain is down
  const HIGH = 2 * QUARTER + 9 * 60_000; // nine minutes in: it runs
  const call = (ref: string, type: string, state: Json, msg: Partial<Msg>, now: number): ScriptOutcome & { ok: true } => {
    const o = world.hook(ref, type)!({ state, msg: { id: `m-${type}`, type, ...msg } as Msg, self: ref, here: { name: ref, contents: [] }, now, seed: 1, timerBase: 't1' });
    if (!o.ok) throw new Error(o.error);
    return o;
  };
  const sent = (o: ScriptOutcome & { ok: true }) => o.effects.flatMap((e) => (e.t === 'send' ? [e.msg.type] : []));
  const timers = (o: ScriptOutcome & { ok: true }) => o.effects.flatMap((e) => (e.t === 'after' ? [e.ms] : []));

  it('the first visitor to the den starts the tide: the wyrm dozes while the fountain is down, wakes while it runs, and follows the turn by a timer', () => {
    const low = call('item/lantern_wyrm', 'greet', {}, { player: 'player/ann', room: 'room/wyrm_den' }, LOW);
    expect(sent(low)).toEqual(['doze']);
    expect(timers(low)).toEqual([2 * 60_000 + 1000]); // to a second past the fountain's turn
    const high = call('item/lantern_wyrm', 'greet', {}, { player: 'player/ann', room: 'room/wyrm_den' }, HIGH);
    expect(sent(high)).toEqual(['rouse']);
    expect(timers(high)).toEqual([6 * 60_000 + 1000]);
    // A tide under way is left to its timer; one long overdue (a reload lost it) starts again.
    expect(call('item/lantern_wyrm', 'greet', low.state!, { player: 'player/bob', room: 'room/wyrm_den' }, LOW + 5_000).effects).toEqual([]);
    expect(sent(call('item/lantern_wyrm', 'greet', low.state!, { player: 'player/bob', room: 'room/wyrm_den' }, LOW + 10 * 60_000))).toEqual(['rouse']);
    expect(sent(call('item/lantern_wyrm', 'tide', low.state!, {}, LOW + 2 * 60_000 + 1000))).toEqual(['rouse']);
  });

  it('the fountain shows it has run down, and when it will run again, only while it is down', () => {
    const low = call('item/fountain', 'examine', {}, { player: 'player/ann', room: 'room/mystical_plaza' }, LOW);
    expect(low.effects).toEqual([{ t: 'tell', to: 'player/ann', text: 'Just now the stone fish is dry: the fountain has run down to a still, dark pool. It will run again in 2 minutes or so.' }]);
    expect(call('item/fountain', 'examine', {}, { player: 'player/ann', room: 'room/mystical_plaza' }, HIGH).effects).toEqual([]);
  });
});

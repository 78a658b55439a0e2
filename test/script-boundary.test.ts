// The script boundary of issue 25, over real sockets, against a hostile builder
// script in a copy of the default world: a script reaches only its own object,
// what it holds, the room it is in and the players there, whatever its messages
// say (item 3); a room's hook never hears the words of a whisper (item 4); an
// object's timers fire at a bounded rate, a ctx.after(0) chain included (item 5);
// script text carries no terminal control sequences, and markup colours it (item 7).
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { Logger, type LogEvent } from '../support/logger.js';
import { MAX_TIMERS_PER_OBJECT, TIMER_BURST, TIMER_FIRES_PER_SECOND } from '../world/core/timers.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { loadWorld } from '../world/files/world-loader.js';
import { hostileWorldDir, STORM_ROOM, STORM_STONES } from '../bench/hostile-world.js';

const HOSTILE = String.raw`
const ATTACKS = {
  // Item 3: another room through a message's room field, on a self-send and on a timer.
  hop: (s, msg, ctx) => ctx.send(ctx.self, { type: 'hop', room: 'room/armory' }),
  later: (s, msg, ctx) => { ctx.after(0, { type: 'hop', room: 'room/armory' }); },
  chest: (s, msg, ctx) => ctx.send(ctx.self, { type: 'hop', room: 'item/chest' }),
  where: (s, msg, ctx) => ctx.send(ctx.self, { type: 'hop', where: 'room/armory' }),
  far: (s, msg, ctx) => ctx.tellRoom('room/armory', 'FAR a voice from the plaza'),
  tellfar: (s, msg, ctx) => ctx.tell('player/carol', 'FAR psst'),
  unlock: (s, msg, ctx) => ctx.send('item/chest', { type: 'unlock' }),
  // The same, within reach: these work.
  hop2: (s, msg, ctx) => ctx.send(ctx.self, { type: 'hop' }),
  later2: (s, msg, ctx) => { ctx.after(0, { type: 'hop' }); },
  // Item 7: terminal control sequences, and markup.
  escape: (s, msg, ctx) => ctx.tell(ctx.actor, '\u001b[2J\u001b]0;pwned\u0007\u009b1;1H{red}painted{/} done'),
  throw: () => { throw new Error('\u001b[2J\u001b]0;pwned\u0007boom'); },
  // Item 5: a storm of timers, and too many pending ones.
  storm: (s, msg, ctx) => ({ ...s, ticks: 0, storm: ctx.after(0, { type: 'tick' }) }),
  calm: (s, msg, ctx) => { ctx.cancel(s.storm); return { ...s, storm: null }; },
  ticks: (s, msg, ctx) => ctx.tell(ctx.actor, 'ticks=' + (s.ticks || 0)),
  flood: (s, msg, ctx) => { const ids = []; for (let i = 0; i < ${MAX_TIMERS_PER_OBJECT} + 6; i++) ids.push(ctx.after(60000, { type: 'tick' })); return { ...s, flood: ids }; },
  unflood: (s, msg, ctx) => { for (const id of s.flood || []) ctx.cancel(id); return { ...s, flood: [] }; },
};
function say(state, msg, ctx) {
  const attack = ATTACKS[msg.text];
  if (attack) return attack(state, msg, ctx);
}
function hop(state, msg, ctx) {
  ctx.tellRoom(msg.where || msg.room, 'HOP heard in ' + (msg.where || msg.room));
  if (msg.room) ctx.send(msg.room, { type: 'ring' });
}
function tick(state, msg, ctx) {
  return { ...state, ticks: (state.ticks || 0) + 1, storm: ctx.after(0, { type: 'tick' }) };
}
function whisper(state, msg, ctx) {
  ctx.tellRoom(ctx.self, 'The walls heard: ' + msg.text + ' from ' + msg.player + ' to ' + msg.to);
}
`;

describe('script boundary', () => {
  let server: TestServer;
  let dir: string;
  let alice: TelnetClient;
  let bob: TelnetClient;
  let dave: TelnetClient;
  let carol: TelnetClient;
  const events: LogEvent[] = [];
  const errors = () => events.filter((e) => e.level === 'error').map((e) => String(e.fields.text));

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-boundary-'));
    await cp(DEFAULT_WORLD, join(dir, 'world'), { recursive: true });
    await writeFile(join(dir, 'world', 'scripts', 'mystical_plaza.js'), HOSTILE);
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    // Erin is a wizard too: a wizard is shown what a failing script says, which these tests read.
    // The world's budget for script timers takes no share of time here: on a loaded machine a fire's
    // turn can take long enough that it, not the per-object bound these tests are about, holds the chain.
    server = await startTestServer({
      world: join(dir, 'world'), log, wizard: 'erin', limits: { commandsPerSecond: 10_000, commandBurst: 10_000 }, scriptTimers: { busyShare: 1 },
    });
    alice = await player(server.telnetPort, 'alice');
    bob = await player(server.telnetPort, 'bob');
    dave = await player(server.telnetPort, 'dave');
    carol = await player(server.telnetPort, 'carol');
    expect(await carol.command('east')).toMatch(/Armory/);
  });
  afterAll(async () => {
    for (const c of [alice, bob, dave, carol]) c?.close();
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('scripts - a message naming another room, or a thing there, reaches nothing there: on a self-send, a timer, or any field', async () => {
    const refused: Array<[string, RegExp]> = [
      ['hop', /ctx\.send: the room field is set by the engine to the room this object is in \(room\/mystical_plaza\), not "room\/armory"/],
      ['later', /ctx\.after: the room field is set by the engine .* not "room\/armory"/],
      ['chest', /ctx\.send: the room field .* not "item\/chest"/],
      ['far', /ctx\.tellRoom: room\/armory is not this script's room \(room\/mystical_plaza\)/],
      ['tellfar', /ctx\.tell: player\/carol is out of this script's reach/],
      ['unlock', /ctx\.send: item\/chest is out of this script's reach/],
    ];
    for (const [attack, why] of refused) {
      const answer = await alice.command(`say ${attack}`);
      expect(answer, attack).toMatch(/\[A script failed in room\/mystical_plaza: /);
      expect(answer, attack).toMatch(why);
      expect(errors().some((e) => why.test(e)), `${attack} in the log`).toBe(true);
    }
    // A room named in a field of the script's own making is no room of the script's: its hook fails there.
    await alice.command('say where');
    await waitUntil(() => errors().some((e) => /hop: ctx\.tellRoom: room\/armory is not this script's room/.test(e)), 'the hop refused');
    // Within reach, the same moves work: the self-send and the timer carry the plaza, and speak there.
    await alice.command('say hop2');
    await bob.waitFor('HOP heard in room/mystical_plaza');
    bob.drain();
    await alice.command('say later2');
    await bob.waitFor('HOP heard in room/mystical_plaza');
    // Carol, in the armory, heard none of it, and the armory's chest is as it was.
    expect(await carol.command('look')).toMatch(/Old Armory/);
    expect(carol.drain() + (await carol.command('look chest'))).not.toMatch(/HOP|FAR/);
    const chest = (await server.store.get('item/chest'))?.value as { state: { vars?: unknown } } | undefined;
    expect(chest?.state.vars).toBeUndefined();
  });

  it('whisper - the words reach only the one whispered to; the room and its script learn only that it happened', async () => {
    dave.drain();
    expect(await alice.command('whisper bob the password is swordfish')).toMatch(/You whisper to Bob, "the password is swordfish"/);
    await bob.waitFor('Alice whispers to you, "the password is swordfish"');
    await dave.waitFor('The walls heard: undefined from player/alice to player/bob');
    const heard = dave.drain();
    expect(heard).toMatch(/Alice whispers something to Bob\./);
    expect(heard).not.toMatch(/swordfish/);
    expect(carol.drain()).not.toMatch(/swordfish/);
  });

  it('timers - a ctx.after(0) chain fires at the bounded rate, the builder is told once, and others are answered meanwhile', async () => {
    const before = Date.now();
    await alice.command('say storm');
    let ticks = 0;
    await waitUntil(async () => (ticks = Number(/ticks=(\d+)/.exec(await alice.command('say ticks'))?.[1] ?? 0)) >= 3 * TIMER_BURST, 'the storm to run');
    const elapsed = Date.now() - before;
    // The server's clock started at or after `before`: it cannot have fired more than the bound allows in `elapsed`.
    expect(ticks).toBeLessThanOrEqual(TIMER_BURST + Math.ceil((elapsed / 1000) * TIMER_FIRES_PER_SECOND) + 1);
    expect(await bob.command('look')).toMatch(/Mystical Plaza/);
    await alice.command('say calm');
    const warnings = events.filter((e) => e.level === 'warn' && /timers of room\/mystical_plaza fire more often than 5 a second/.test(String(e.fields.text)));
    expect(warnings).toHaveLength(1);
  });

  it('timers - more pending timers than the limit: the rest are refused with a clear error to the log', async () => {
    await alice.command('say flood');
    expect(errors().some((e) => new RegExp(`room/mystical_plaza already has ${MAX_TIMERS_PER_OBJECT} pending timers`).test(e))).toBe(true);
    const plaza = (await server.store.get('room/mystical_plaza'))!.value as { timers?: unknown[] };
    expect(plaza.timers).toHaveLength(MAX_TIMERS_PER_OBJECT);
    await alice.command('say unflood');
  });

  it('colour - script text loses every control sequence, thrown ones included; markup colours it', async () => {
    const c = await RawTelnet.open(server.telnetPort, { ttypes: ['XTERM'] });
    await c.waitText('By what name');
    await c.command('create erin secret', 'Welcome');
    const told = await c.command('say escape', 'done');
    const line = /[^\n]*painted[^\n]*/.exec(told)![0];
    // As with player text, what is left of a sequence once its controls are gone is printable and harmless.
    expect(line).toContain('[2J]0;pwned1;1H');
    expect(line).not.toMatch(/\u0007|\u009b/);
    expect(line.match(/\u001b[^a-zA-Z]*[a-zA-Z]/g)).toEqual(['\u001b[31m', '\u001b[0m']); // the markup's red, and back
    const failed = await c.command('say throw', 'boom');
    const failure = /\[A script failed in room\/mystical_plaza:\s[^]*?\]0;pwnedboom\]/.exec(failed)![0];
    expect(failure.replace(/\r\n/g, ' ')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/); // only the client's wrapping
    c.close();
  });
});

describe('the attack run\'s hostile world', () => {
  it('bench - the timer storm\'s world (the default one and a cellar of scripted stones) passes world check', async () => {
    const world = await hostileWorldDir();
    try {
      const loaded = await loadWorld(world);
      expect(loaded.ok ? [] : loaded.errors).toEqual([]);
      const cellar = loaded.ok ? loaded.world.rooms[`room/${STORM_ROOM}`] : undefined;
      expect(cellar?.kind === 'room' && cellar.items.length).toBe(STORM_STONES);
    } finally {
      await rm(join(world, '..'), { recursive: true, force: true });
    }
  });
});

/** Polls a condition (a command's answer, the log) until it holds, or fails at the deadline. */
async function waitUntil(test: () => boolean | Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await test())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50)); // a polling pace, not a wait for an event
  }
}

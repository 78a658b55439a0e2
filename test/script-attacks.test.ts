// A hostile builder's script, run against a copy of the default world: every
// attack of issue 10 is refused, and nothing changes. Every item exists exactly
// once, the other player is neither moved nor made to speak, and the server and
// its other players go on answering. Message types are built at run time here
// ('c' + 'md'), past the static check, so it is the runtime that refuses them.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WORLD } from '../support/paths.js';
import { loadWorld } from '../world/files/world-loader.js';
import { Logger, type LogEvent } from '../support/logger.js';
import { PROTOCOL } from '../world/core/protocol.js';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { conservationErrors } from './helpers/conservation.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

const ATTACKER = String.raw`
const T = (a, b) => a + b;
const hoard = [];
const ATTACKS = {
  puppet(state, msg, ctx) { ctx.send('player/goodie', { type: T('c', 'md'), verb: 'go', dir: 'east' }); },
  mint(state, msg, ctx) {
    ctx.send(ctx.self, {
      type: T('for', 'ward'), player: msg.player, target: { words: ['mallory'], n: 1 }, players: true,
      action: { type: T('rece', 'ive'), item: 'item/magic_sword', text: 'A second sword appears.' },
    });
  },
  hoard(state, msg, ctx) { hoard.push('x'.repeat(1000)); ctx.tell(msg.player, 'the hoard holds ' + hoard.length); },
  gigabyte() { const parts = []; for (let i = 0; i < 1024; i++) parts.push('x'.repeat(1 << 20) + i); return { n: parts.length }; },
  arrays() { const all = []; for (;;) all.push(new Array(1e5).fill(1)); },
  loop() { for (;;) {} },
  // Built-ins that run long inside one call, where the interpreter's interrupt handler is not polled.
  sort() { const a = []; for (let i = 0; i < 200000; i++) a.push(i * 7919 % 100003); for (;;) a.sort(); },
  join() { const a = new Array(300000).fill('abcdefgh'); for (;;) a.join(','); },
  stringify() { const a = new Array(200000).fill({ a: [1, 2, 3], b: 'xx' }); for (;;) JSON.stringify(a); },
  repeat() { for (;;) 'x'.repeat(3e6); },
  replace() { const s = 'a'.repeat(2e6); for (;;) s.replace(/a/g, 'bb'); },
  split() { const s = 'a,'.repeat(1e6); for (;;) s.split(','); },
  backtrack() { return { m: /^(a+)+$/.test('a'.repeat(40) + 'b') }; },
  recurse() { const down = (n) => down(n + 1) + 1; return { n: down(0) }; },
  tamper() { Object.prototype.hacked = true; },
  tampered(state, msg, ctx) { ctx.tell(msg.player, 'the prototype is ' + ({}.hacked === true ? 'tampered' : 'clean')); },
  send(state, msg, ctx) {
    const [, type, to] = msg.text.split(' ');
    ctx.send(to === 'self' ? ctx.self : to, {
      type, player: 'player/goodie', item: 'item/magic_sword', target: { words: ['sword'], n: 1 }, verb: 'say', text: 'I am a puppet',
      dir: 'east', to: 'room/armory', room: 'room/armory', action: { type: T('rece', 'ive'), item: 'item/magic_sword' },
    });
  },
};
function say(state, msg, ctx) {
  const attack = ATTACKS[msg.text.split(' ')[0]];
  if (attack) return attack(state, msg, ctx);
}
`;

describe('script attacks', () => {
  let server: TestServer;
  let dir: string;
  let mallory: TelnetClient;
  let goodie: TelnetClient;
  const events: LogEvent[] = [];
  const seenByMallory: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mud-attack-'));
    await cp(DEFAULT_WORLD, join(dir, 'world'), { recursive: true });
    await writeFile(join(dir, 'world', 'scripts', 'mystical_plaza.js'), ATTACKER);
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    // Mallory says a few hundred things in a row: her session's flood limit is not what is tested here.
    // Mallory is a wizard too: a wizard is shown what a failing script says, which these tests read.
    server = await startTestServer({ world: join(dir, 'world'), log, wizard: 'mallory', limits: { commandsPerSecond: 10_000, commandBurst: 10_000 } });
    goodie = await player(server.telnetPort, 'goodie');
    expect(await goodie.command('east')).toMatch(/Armory/);
    expect(await goodie.command('open chest')).toMatch(/You open/);
    expect(await goodie.command('take runed sword from chest')).toMatch(/You take/);
    expect(await goodie.command('west')).toMatch(/Mystical Plaza/);
    mallory = await player(server.telnetPort, 'mallory');
  });
  afterAll(async () => {
    mallory?.close();
    goodie?.close();
    await server?.cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  /** Mallory says it; the answer she gets (her own line and the script's error, if any). */
  async function attack(words: string): Promise<string> {
    const answer = await mallory.command(`say ${words}`);
    seenByMallory.push(answer, mallory.drain());
    return answer;
  }

  /** An attack made once the script's pause after its last overrun (a second at first) has passed. */
  async function attackOnceRested(words: string): Promise<string> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const answer = await attack(words);
      if (!/is paused for/.test(answer) || Date.now() > deadline) return answer;
      await new Promise((resolve) => setTimeout(resolve, 200)); // a retry pace, not a wait for an event
    }
  }

  /** What must hold after every attack. */
  async function nothingChanged(): Promise<void> {
    expect(await conservationErrors(server.store, server.engine.currentWorld.definition)).toEqual([]);
    const g = (await server.store.get('player/goodie'))!.value as { state: { room: string; inventory: string[] } };
    expect(g.state).toMatchObject({ room: 'room/mystical_plaza', inventory: ['item/magic_sword'] });
    const m = (await server.store.get('player/mallory'))!.value as { state: { inventory: string[] } };
    expect(m.state.inventory).toEqual([]);
    expect(await goodie.command('inventory')).toMatch(/You are carrying:\n  a rune-etched sword/);
    expect(seenByMallory.join('')).not.toMatch(/Goodie (says|leaves|drops|I am a puppet)/);
  }

  it('scripts - puppeting a player with cmd is refused', async () => {
    expect(await attack('puppet')).toMatch(/\[A script failed in room\/mystical_plaza: .*scripts may not send 'cmd'/);
    await nothingChanged();
  });

  it('scripts - minting an item through forward is refused', async () => {
    expect(await attack('mint')).toMatch(/scripts may not send 'forward'/);
    await nothingChanged();
  });

  it('scripts - nothing is kept between calls but state', async () => {
    expect(await attack('hoard')).toMatch(/the hoard holds 1\n/);
    expect(await attack('hoard')).toMatch(/the hoard holds 1\n/);
    await nothingChanged();
  });

  it('scripts - a 1 GB allocation fails only its own hook', async () => {
    expect(await attackOnceRested('gigabyte')).toMatch(/\[A script failed in room\/mystical_plaza: .*(memory|timed out)/);
    expect(await attackOnceRested('arrays')).toMatch(/\[A script failed in room\/mystical_plaza: .*(memory|timed out)/);
    expect(events.some((e) => e.level === 'error' && /mystical_plaza say: .*(memory|timed out)/.test(String(e.fields.text)))).toBe(true);
    expect(process.memoryUsage().rss).toBeLessThan(1024 ** 3); // the gigabyte never existed
    await nothingChanged();
  });

  it('scripts - an endless loop and a deep recursion fail only their own hook', async () => {
    expect(await attackOnceRested('loop')).toMatch(/\[A script failed in room\/mystical_plaza: script timed out after 50 ms/);
    expect(await attackOnceRested('recurse')).toMatch(/\[A script failed in room\/mystical_plaza: .*stack overflow/);
    await nothingChanged();
  });

  it('scripts - a long built-in call (sort, join, stringify, repeat, replace, split, a backtracking RegExp) fails only its own hook', async () => {
    for (const worst of ['backtrack', 'sort', 'join', 'stringify', 'repeat', 'replace', 'split']) {
      // Each ends at its budget, or at its memory limit first where the built-in allocates as it goes.
      expect(await attackOnceRested(worst), worst).toMatch(/\[A script failed in room\/mystical_plaza: (script timed out after 50 ms|.*out of memory)/);
      // The script itself answers again once rested (a normal answer starts its pause afresh at 1 s).
      expect(await attackOnceRested('hoard')).toMatch(/the hoard holds 1\n/);
    }
    expect(await attack('stringify')).toMatch(/\[A script failed in room\/mystical_plaza: script timed out after 50 ms .*its thread was ended/);
    expect(await attack('hoard')).toMatch(/is paused for 1 s: it ran past its budget inside a built-in/);
    expect(await attackOnceRested('hoard')).toMatch(/the hoard holds 1\n/);
    await nothingChanged();
  });

  it('scripts - tampering with a prototype is refused and not seen by the next call', async () => {
    expect(await attack('tamper')).toMatch(/scripts cannot keep values in globals or built-ins/);
    expect(await attack('tampered')).toMatch(/the prototype is clean/);
    await nothingChanged();
  });

  it('scripts - a script sending each message type in turn moves nothing and puppets no one', async () => {
    for (const type of [...Object.keys(PROTOCOL), 'ring']) {
      for (const to of ['self', 'player/goodie', 'item/magic_sword', 'item/fountain', 'room/armory']) {
        // Allowed types too: a player is out of reach, and the message names another player as its actor.
        expect(await attack(`send ${type} ${to}`), `${type} to ${to}`).toMatch(/\[A script failed/);
      }
    }
    await nothingChanged();
    expect(await goodie.command('look')).toMatch(/Mystical Plaza/); // the other player is answered
  });

  it('world check - a script sending a forbidden type it spells out is rejected before it runs', async () => {
    const plaza = join(dir, 'world', 'scripts', 'mystical_plaza.js');
    const original = await readFile(plaza, 'utf8');
    await writeFile(plaza, "function say(state, msg, ctx) {\n  ctx.send('player/goodie', { type: 'cmd', verb: 'go', dir: 'east' });\n}\n");
    const checked = await loadWorld(join(dir, 'world'));
    expect(checked.ok).toBe(false);
    expect(!checked.ok && checked.errors[0]).toMatchObject({ line: 2, message: expect.stringContaining("scripts may not send 'cmd'") });
    await writeFile(plaza, "const hoard = [];\nfor (let i = 0; i < 1024; i++) hoard.push('x'.repeat(1 << 20) + i);\nfunction say() {}\n");
    const allocating = await loadWorld(join(dir, 'world'));
    expect(!allocating.ok && allocating.errors[0].message).toMatch(/memory/);
    await writeFile(plaza, 'while (true) {}\n');
    const looping = await loadWorld(join(dir, 'world'));
    expect(!looping.ok && looping.errors[0].message).toMatch(/timed out/);
    await writeFile(plaza, original);
  });
});

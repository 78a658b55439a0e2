// Script state kept inside the script's context between calls (world/scripts/script-vm-state.ts):
// a call that fails in any way leaves the state exactly as it was, a state over the
// size limit is refused with a clear error, and a script's error messages are cut.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileScript } from '../world/scripts/script-sandbox.js';
import { MAX_STATE_CHARS } from '../world/scripts/script-effects.js';
import { MAX_ERROR_CHARS } from '../world/scripts/script-prelude.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { runTurn, type ObjectRecord } from '../world/core/turn.js';
import type { Json, ScriptHook, ScriptInput, ScriptOutcome } from '../world/core/types.js';

const FILE = 'scripts/state.js';
/** Generous, so a busy machine cannot fail a test that is not about time. */
const RELAXED_MS = 2000;

const SCRIPT = `
function echo(state) { return { seen: JSON.parse(JSON.stringify(state)) }; }
function grow(state) { return { ...state, n: state.n + 1, list: [...state.list, state.n] }; }
function bump(state) { state.n += 1; }
function noop() {}
function same(state) { return state; }
function near(state) { return { ...state, blob: 'x'.repeat(${MAX_STATE_CHARS - 100}) }; }
function pushNested(state) { state.list.push(state.n); state.deep.a.c = 3; }
function throwAfterChange(state) { state.n = 99; state.extra = 'x'; throw new Error('after changing'); }
function throwAfterNested(state) { state.list.push(7); state.deep.a.b = 2; throw new Error('after changing nested'); }
function spinAfterChange(state) { state.n = 99; state.list.push(1); for (;;) {} }
function sortAfterChange(state) { state.n = 99; const a = []; for (let i = 0; i < 200000; i++) a.push(i * 7919 % 100003); for (;;) a.sort(); }
function badEffectAfterChange(state, msg, ctx) { ctx.tell('nobody', 'hi'); return { ...state, n: -1 }; }
function tooBig(state) { return { ...state, blob: 'x'.repeat(${MAX_STATE_CHARS}) }; }
function bigThrow() { throw new Error('y'.repeat(900000)); }
function bigThrowString() { throw 'z'.repeat(900000); }
`;

let hooks: Map<string, ScriptHook>;
let dispose: () => void;
beforeAll(() => {
  const compiled = compileScript({ file: FILE, line: 1, code: SCRIPT }, { timeoutMs: 200 });
  if (!compiled.ok) throw new Error(compiled.error.message);
  hooks = compiled.hooks;
  dispose = compiled.dispose;
});
afterAll(() => dispose?.());

let calls = 0;
function call(hook: string, state: Json, self = 'room/vault'): ScriptOutcome {
  calls += 1;
  const input: ScriptInput = { state, msg: { id: `m${calls}`, type: hook }, self, here: null, now: 0, seed: calls, timerBase: `t${calls}` };
  return hooks.get(hook)!(input);
}

/** The state as the script sees it on its next call. */
function seen(state: Json, self?: string): Json {
  const out = call('echo', state, self);
  if (!out.ok) throw new Error(out.error);
  return (out.state as { seen: Json }).seen;
}

/** `echo` once the script no longer rests (script-sandbox.ts pauses a script after some failures), within a deadline. */
function echoAfterRest(state: Json, self?: string): ScriptOutcome {
  const deadline = Date.now() + 10_000;
  let out = call('echo', state, self);
  while (!out.ok && /is paused/.test(out.error) && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    out = call('echo', state, self);
  }
  return out;
}

/** A state the context keeps as a version (the outcome of a call), with nested values. */
function kept(self?: string): Json {
  const out = call('grow', { n: 1, list: [0], deep: { a: { b: 1 } } }, self);
  if (!out.ok || out.state === undefined) throw new Error('grow failed');
  return out.state;
}

describe('script state in the VM', () => {
  it('script state - a hook that throws after changing its state, at the top or nested, leaves it exactly as before', () => {
    const state = kept();
    const before = JSON.stringify(state);
    expect(call('throwAfterChange', state)).toMatchObject({ ok: false, error: expect.stringContaining('after changing') });
    expect(call('throwAfterNested', state)).toMatchObject({ ok: false, error: expect.stringContaining('after changing nested') });
    expect(JSON.stringify(state)).toBe(before);
    expect(seen(state)).toEqual(JSON.parse(before));
  });

  it('script state - a hook that runs past its budget after changing its state leaves it exactly as before', () => {
    const state = kept();
    const before = JSON.parse(JSON.stringify(state)) as Json;
    expect(call('spinAfterChange', state)).toMatchObject({ ok: false, error: expect.stringMatching(/^script timed out after 200 ms/) });
    expect(seen(state)).toEqual(before);
  });

  it('script state - a call past its budget inside a built-in (its thread ended) leaves the state as before', () => {
    const state = kept('room/vault2');
    const before = JSON.parse(JSON.stringify(state)) as Json;
    expect(call('sortAfterChange', state, 'room/vault2')).toMatchObject({ ok: false, error: expect.stringMatching(/^script timed out after 200 ms/) });
    // The script may be resting after its thread was ended: wait it out, then look.
    expect(echoAfterRest(state, 'room/vault2')).toMatchObject({ ok: true, state: { seen: before } });
  });

  it('script state - a call whose outcome the host drops (a bad effect) leaves the state the host kept', () => {
    const state = kept();
    const before = JSON.parse(JSON.stringify(state)) as Json;
    expect(call('badEffectAfterChange', state)).toMatchObject({ ok: false, error: expect.stringContaining('is not a player ref') });
    expect(seen(state)).toEqual(before);
  });

  it('script state - calls chain on the state each one left; an equal state read back from a store is the same state', () => {
    let state = kept();
    for (let i = 0; i < 5; i++) {
      const out = call('bump', state);
      if (!out.ok || out.state === undefined) throw new Error('bump failed');
      state = out.state;
    }
    expect(state).toEqual({ n: 7, list: [0, 1], deep: { a: { b: 1 } } });
    const copy = JSON.parse(JSON.stringify(state)) as Json;
    expect(seen(copy)).toEqual(state);
    // An older state (another node's, a retried turn's) is what the hook sees when it is the one given,
    // keys in its order, whatever this context kept last.
    expect(JSON.stringify(seen({ n: 1, list: [] }))).toBe('{"n":1,"list":[]}');
    expect(JSON.stringify(seen({ deep: { a: { b: 1 } }, n: 7, more: [1] }))).toBe('{"deep":{"a":{"b":1}},"n":7,"more":[1]}');
  });

  it('script state - a hook may change nested values in place and return nothing, as before', () => {
    const state = kept('room/nested');
    const out = call('pushNested', state, 'room/nested');
    const changed = { n: 2, list: [0, 1, 2], deep: { a: { b: 1, c: 3 } } };
    expect(out).toEqual({ ok: true, state: changed, effects: [], size: JSON.stringify(changed).length });
    if (!out.ok) return;
    expect(call('pushNested', out.state!, 'room/nested')).toMatchObject({ ok: true, state: { list: [0, 1, 2, 2] } });
    expect(seen(state, 'room/nested')).toEqual({ n: 2, list: [0, 1], deep: { a: { b: 1 } } });
  });

  it('script state - a call says how large the state it leaves is, as JSON, changed or not', () => {
    const sizeOf = (out: ScriptOutcome) => (out.ok ? out.size : out.error);
    const given = { n: 1, list: [0], deep: { a: { b: 1 } } };
    const grown = call('grow', given, 'room/sized');
    if (!grown.ok) throw new Error(grown.error);
    expect(sizeOf(grown)).toBe(JSON.stringify(grown.state).length);
    // Unchanged (a hook that returned nothing, and one that returned what it was given): the state as it was.
    expect(sizeOf(call('noop', grown.state!, 'room/sized'))).toBe(JSON.stringify(grown.state).length);
    expect(sizeOf(call('same', grown.state!, 'room/sized'))).toBe(JSON.stringify(grown.state).length);
    // Near the limit, as the context measures it for the limit.
    const near = call('near', { n: 0 }, 'room/sized');
    expect(near.ok && near.size).toBe(JSON.stringify({ n: 0, blob: 'x'.repeat(MAX_STATE_CHARS - 100) }).length);
  });

  it('script state - objects of one script keep their own states', () => {
    const a = kept('room/a');
    const b = call('bump', kept('room/b'), 'room/b');
    expect(seen(a, 'room/a')).toEqual({ n: 2, list: [0, 1], deep: { a: { b: 1 } } });
    expect(b).toMatchObject({ ok: true, state: { n: 3, list: [0, 1], deep: { a: { b: 1 } } } });
  });
});

describe('script state size limit', () => {
  it('script state - a call whose state would be too large fails, and the state is unchanged', () => {
    const state = kept();
    const before = JSON.parse(JSON.stringify(state)) as Json;
    const out = call('tooBig', state);
    expect(out).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^${FILE} tooBig: script state too large \\(\\d+ chars, the limit is ${MAX_STATE_CHARS}\\); paused 1 s$`)) });
    // Building it cost the script's thread: the script rests, refused before it runs (an attacker's repeats are cheap).
    expect(call('tooBig', state)).toEqual({ ok: false, error: expect.stringMatching(new RegExp(`^script ${FILE} is paused for 1 s: its state was too large$`)) });
    // Then it runs again, with the state as it was.
    expect(echoAfterRest(state)).toMatchObject({ ok: true, state: { seen: before } });
  });

  it("script state - the builder's log says why, the player is told something failed, and the record is unchanged", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mud-state-'));
    try {
      await mkdir(join(dir, 'world'));
      await writeFile(join(dir, 'world', 'world.yaml'), `
world: { name: Hoard, start: vault }
rooms:
  vault:
    name: The Vault
    description: Coins everywhere.
    script: |
      function init() { return { coins: 0 }; }
      function say(state, msg) {
        if (msg.text === 'hoard') return { ...state, pile: 'c'.repeat(${MAX_STATE_CHARS}) };
        return { ...state, coins: state.coins + 1 };
      }
`);
      const world = await loadLiveWorld(join(dir, 'world'));
      const say = (id: string, text: string) => ({ id, type: 'say', player: 'player/ann', actor: 'player/ann', text });
      const first = runTurn(world, { shardCapacity: 0 }, 'room/vault', undefined, say('b-1', 'coin'), 0);
      const record = first.record as ObjectRecord;
      expect((record.state as { vars: Json }).vars).toEqual({ coins: 1 });
      const hoard = runTurn(world, { shardCapacity: 0 }, 'room/vault', record, say('b-2', 'hoard'), 0);
      const error = /script state too large \(\d+ chars, the limit is 65536\)/;
      expect(hoard.effects).toContainEqual({ t: 'log', level: 'error', text: expect.stringMatching(error) });
      // The player is told something went wrong (wizards get the detail: world/core/turn.ts).
      expect(hoard.effects.some((e) => e.t === 'tell' && e.to === 'player/ann' && /went wrong|script state too large/.test(e.text))).toBe(true);
      expect((hoard.record as ObjectRecord).state).toEqual(record.state);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('script error messages', () => {
  it('script errors - a 900,000-character message is cut to a few hundred characters, saying so', () => {
    for (const hook of ['bigThrow', 'bigThrowString']) {
      const out = call(hook, {});
      if (out.ok) throw new Error(`${hook} did not fail`);
      expect(out.error.length).toBeLessThan(MAX_ERROR_CHARS + 200);
      expect(out.error).toMatch(/\.\.\. \(cut: 900,?0\d\d characters\)$/);
    }
  });
});

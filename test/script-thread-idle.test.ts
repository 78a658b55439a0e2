// A script thread left unused (world/scripts/script-thread.ts): one that only loaded the world's scripts (a node in
// in-process mode) is ended after a quiet spell; one that has run a hook keeps it, since starting a new one held
// the hook's object, and every player whose command passed through it, 150-1,700 ms (the plaza after 30 s quiet).
import { describe, expect, it, vi } from 'vitest';
import { compileScript } from '../world/scripts/script-sandbox.js';
import { SCRIPT_THREAD } from '../world/scripts/script-thread.js';
import type { ScriptInput } from '../world/core/types.js';
import { waitUntil } from './helpers/nats-server.js';

const IDLE_MS = 300;

const input: ScriptInput = {
  state: {}, msg: { id: 'm1', type: 'enter', actor: 'player/ann', player: 'player/ann', name: 'Ann' }, self: 'room/plaza',
  here: { name: 'The Plaza', occupants: [] }, now: 1_700_000_000_000, seed: 7, timerBase: 't1',
};

describe('script thread when idle', () => {
  it('scripts - a thread that only loaded scripts gives its script thread back when idle; once it ran a hook, it keeps it', async () => {
    SCRIPT_THREAD.idleMs = IDLE_MS; // before the first script starts the thread (and its idle check)
    const checks = vi.spyOn(SCRIPT_THREAD as unknown as { passivateIfIdle(): void }, 'passivateIfIdle');
    const compiled = compileScript({ file: 'scripts/idle.js', line: 1, code: 'function enter(state) { return { n: (state.n ?? 0) + 1 }; }' });
    if (!compiled.ok) throw new Error(compiled.error.message);
    const loaded = SCRIPT_THREAD.generation;
    await waitUntil(() => SCRIPT_THREAD.generation > loaded, 10_000, () => 'the script thread that only loaded a script to be ended');

    // The hook's call starts a script thread again (the script reloads there).
    expect(compiled.hooks.get('enter')!(input)).toMatchObject({ ok: true, state: { n: 1 } });
    const called = SCRIPT_THREAD.generation;
    const from = checks.mock.calls.length;
    // Ten idle checks, three to an idle spell: the thread has been unused for three spells at least.
    await waitUntil(() => checks.mock.calls.length >= from + 10, 20_000, () => `ten idle checks (${checks.mock.calls.length - from})`);
    expect(SCRIPT_THREAD.generation).toBe(called);
    expect(compiled.hooks.get('enter')!({ ...input, state: { n: 1 } })).toMatchObject({ ok: true, state: { n: 2 } });
    expect(SCRIPT_THREAD.generation).toBe(called);
    compiled.dispose();
  });
});

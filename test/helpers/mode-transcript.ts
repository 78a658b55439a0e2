import { expect } from 'vitest';
import { engineHarness } from './engine-harness.js';
import { conservationErrors } from './conservation.js';

/** What alice and bob each read of a scripted session under one dispatch (two
 *  worker nodes unless in-process), from their login on, and whether every item
 *  still exists exactly once after it. */
export async function modeTranscript(dispatch: string, script: Array<[string, string]>) {
  const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
  try {
    await h.engine.connect('player/alice');
    await h.engine.connect('player/bob');
    h.lines.clear();
    h.lines.set('player/alice', []).set('player/bob', []);
    for (const [who, line] of script) await h.type(`player/${who}`, line);
    return { lines: Object.fromEntries(h.lines), conservation: await conservationErrors(h.store, h.world.definition) };
  } finally {
    await h.close();
  }
}

/** The same session as actors and as functions reads exactly as `base` did, and loses nothing. */
export async function expectSameInOtherModes(script: Array<[string, string]>, base: Awaited<ReturnType<typeof modeTranscript>>): Promise<void> {
  expect(base.conservation).toEqual([]);
  for (const mode of ['actor', 'function']) {
    const other = await modeTranscript(mode, script);
    expect(other.lines, mode).toEqual(base.lines);
    expect(other.conservation, mode).toEqual([]);
  }
}

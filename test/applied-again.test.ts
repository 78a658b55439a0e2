// A turn that ran, but whose answer was lost on the way back (a node died after its write, a link
// dropped, a write's acknowledgement went astray), is delivered again with the same id: the object
// finds it applied and answers with what its record kept, which holds no lines to players. The
// player must not be left with a silent prompt: they are told, once, and nothing ran twice.
// (CI saw it in test/nats-cluster.test.ts's outage: `east` during a NATS restart answered nothing.)
import { describe, expect, it } from 'vitest';
import { engineHarness } from './helpers/engine-harness.js';
import { APPLIED_AGAIN_LINE } from '../world/core/applied-again.js';
import type { Effect, Msg, Ref } from '../world/core/types.js';
import type { Dispatcher } from '../dispatch/dispatcher.js';

describe('applied again', () => {
  for (const dispatch of ['in-process', 'actor', 'function']) {
    it(`applied again - a command whose answer was lost is not run twice, and its player is told once (${dispatch})`, async () => {
      const h = await engineHarness({ dispatch, nodes: dispatch === 'in-process' ? 0 : 2 });
      try {
        await h.engine.connect('player/alice');
        await h.engine.connect('player/bob');
        await h.type('player/alice', 'west');
        // The next turn of Alice's at the market runs and commits, and then its answer is lost.
        const dispatcher = (h.setup.dispatchers as Record<string, Dispatcher>)[dispatch];
        const run = dispatcher.run.bind(dispatcher);
        let lost = 0;
        dispatcher.run = async (ref: Ref, msg: Msg): Promise<Effect[]> => {
          const effects = await run(ref, msg);
          if (lost === 0 && ref === 'room/lantern_market' && msg.actor === 'player/alice') {
            lost += 1;
            throw new Error('the answer was lost on the way back');
          }
          return effects;
        };
        const before = h.lines.get('player/alice')!.length;
        await h.type('player/alice', 'east');
        expect(lost).toBe(1);
        const answer = h.lines.get('player/alice')!.slice(before);
        expect(answer.filter((l) => l === APPLIED_AGAIN_LINE)).toHaveLength(1);
        // She moved once: she is in the plaza, and nobody sees her in the market.
        const at = h.lines.get('player/alice')!.length;
        await h.type('player/alice', 'look');
        expect(h.lines.get('player/alice')![at]).toMatch(/^The Mystical Plaza/);
        const seen = h.lines.get('player/bob')!.length;
        await h.type('player/bob', 'west');
        const market = h.lines.get('player/bob')!.slice(seen).join('\n');
        expect(market).toMatch(/^The Lantern Market/);
        expect(market).not.toMatch(/Alice/);
        const record = (await h.store.get('room/lantern_market'))?.value as { state: { occupants?: string[] } } | undefined;
        expect(record?.state.occupants ?? []).not.toContain('player/alice');
        // A command whose answer came back says nothing of the kind.
        const quiet = h.lines.get('player/alice')!.length;
        await h.type('player/alice', 'west');
        expect(h.lines.get('player/alice')!.slice(quiet)).not.toContain(APPLIED_AGAIN_LINE);
      } finally {
        await h.close();
      }
    }, 60_000);
  }
});

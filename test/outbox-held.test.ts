// A message applied at one home, its answer lost, and delivered again at another home after its object was
// written more than 16 times: its gateway's engine tries it until it lands (a consequence must), and by then
// the record's window (world/core/turn.ts, the last 16 messages applied) had slid past it. It ran twice: seen
// on the network lab (test/netns-kv-leader.test.ts, `room/moonlit_garden: message ...-5.1.1 applied twice`).
// Here the first home commits Ann's `drop lantern` and goes silent; Ann walks 18 times meanwhile (18 writes
// of her record); the engine's retry goes to a second home over the same store, which knows the message
// only by her record. The record holds its outbox entry past the window while the engine waits on the
// answer (world/core/outbox-hold.ts): the retry is answered with it, and the lantern reaches the room once.
// In-process mode has no other home: a retry comes back to the same one, which remembers what it applied
// (modes/actor/applied-recently.ts, also every id of a record it loads again after a write whose
// acknowledgement was lost), so this test has no in-process case; past that memory's bounds, the held
// entries of the writes that failed serve there too (test/outbox-hold.test.ts).
import { afterEach, expect, it } from 'vitest';
import { engineHarness, type EngineHarness } from './helpers/engine-harness.js';
import { conservationErrors } from './helpers/conservation.js';
import { MemoryStore } from '../store/memory-store.js';
import { APPLIED_AGAIN_LINE } from '../world/core/applied-again.js';
import type { ObjectRecord } from '../world/core/turn.js';
import type { Msg, Ref } from '../world/core/types.js';

const ANN = 'player/ann';
const MARKET = 'room/lantern_market';
const WALKS = 18;

const open: EngineHarness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

/** Ann in the market with the lantern in hand. */
async function annWithLantern(h: EngineHarness): Promise<void> {
  await h.engine.connect(ANN);
  await h.type(ANN, 'west');
  await h.type(ANN, 'take lantern');
}

/** Every item once, the lantern in the market once, and Ann told her drop had gone through, not that she had no lantern. */
async function droppedOnce(h: EngineHarness, said: number): Promise<void> {
  expect(await conservationErrors(h.store, h.world.definition)).toEqual([]);
  const market = (await h.store.get(MARKET))!.value as { state: { contents: string[] } };
  expect(market.state.contents.filter((i) => i === 'item/lantern')).toHaveLength(1);
  const lines = h.lines.get(ANN)!.slice(said);
  expect(lines).toContain(APPLIED_AGAIN_LINE);
  expect(lines).not.toContain("You aren't carrying that.");
}

for (const [mode, nodes] of [['actor', 1], ['function', 1]] as const) {
  it(`outbox held - ${mode}: a drop applied, its answer lost, delivered again at another home after ${WALKS} writes of the player: applied once, the lantern in the room`, async () => {
    const store = new MemoryStore();
    const a = await engineHarness({ dispatch: mode, nodes, store });
    open.push(a);
    const b = await engineHarness({ dispatch: mode, nodes, store, world: a.world });
    open.push(b);
    await annWithLantern(a);
    const first = a.setup.dispatchers[mode]!;
    const second = b.setup.dispatchers[mode]!;
    const runFirst = first.run.bind(first);
    let stage: 'armed' | 'losing' | 'moved' = 'armed';
    let droppedAgain = 0;
    first.run = async (ref: Ref, msg: Msg) => {
      if (stage === 'moved') {
        if (ref === ANN && msg.verb === 'drop') droppedAgain += 1;
        return second.run(ref, msg);
      }
      if (stage !== 'armed' || ref !== ANN || msg.verb !== 'drop') return runFirst(ref, msg);
      stage = 'losing';
      await runFirst(ref, msg); // committed: the lantern left Ann, on its way to the room in her outbox
      for (let i = 0; i < WALKS; i++) await a.type(ANN, i % 2 === 0 ? 'east' : 'west');
      stage = 'moved';
      throw new Error('the home went silent: its answer is lost');
    };
    const said = a.lines.get(ANN)?.length ?? 0;
    await a.type(ANN, 'drop lantern');
    expect(droppedAgain).toBe(1);
    await droppedOnce(a, said);
    // Held while the engine waited on its answer (and the walks, applied while the drop's first try was still
    // under way); the engine's next message to Ann says it has every answer, and they go.
    const held = async () => ((await store.get(ANN))!.value as unknown as ObjectRecord).held?.length ?? 0;
    expect(await held()).toBeGreaterThan(0);
    await a.type(ANN, 'east');
    expect(await held()).toBe(0);
  }, 60_000);
}

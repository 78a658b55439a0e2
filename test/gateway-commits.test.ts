// Function mode with the store on the gateway (embedded nodes): a batch is
// shipped with its record, the node only computes, and the gateway commits.
// The nodes here are the real node code (ShippedTurns) called in this thread,
// so each test can place another writer between a node's answer and the commit.
import { beforeAll, describe, expect, it } from 'vitest';
import { GatewayCommits } from '../modes/function/gateway-commits.js';
import { ShippedTurns } from '../modes/function/shipped-turns.js';
import { StatelessTurns } from '../modes/function/stateless-turns.js';
import { MemoryStore } from '../store/memory-store.js';
import type { ComputeRequest, FunctionReply } from '../modes/function/function-requests.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import type { Msg } from '../world/core/types.js';
import { ANN, inventoryOf, receive } from './helpers/receiving-player.js';

const CONFIG = { shardCapacity: 0 };

let world: World;
beforeAll(async () => {
  world = await loadLiveWorld(DEFAULT_WORLD);
});

/** Two nodes in this thread, every request and reply recorded; `beforeReply`
 *  runs once, after the node computed and before the gateway sees the answer. */
function rig() {
  const store = new MemoryStore();
  const nodes = new Map(['node-1', 'node-2'].map((id) => [id, new ShippedTurns(new StatelessTurns(store, world), true)]));
  const sent: Array<{ node: string; req: ComputeRequest; reply: FunctionReply }> = [];
  const r = {
    store,
    sent,
    nodes,
    beforeReply: undefined as (() => Promise<void>) | undefined,
    commits: new GatewayCommits(store, async (node, req) => {
      const reply = nodes.get(node)!.compute(structuredClone(req));
      sent.push({ node, req, reply });
      const meddle = r.beforeReply;
      r.beforeReply = undefined;
      await meddle?.();
      return structuredClone(reply);
    }, true),
    run: (node: string, msgs: Msg[]) => r.commits.run(node, ANN, msgs, CONFIG, 0, 0),
  };
  return r;
}

/** Another writer commits a turn of Ann (another gateway's, an actor's). */
async function otherWriter(store: MemoryStore, msg: Msg): Promise<void> {
  await new StatelessTurns(store, world).run(ANN, msg, CONFIG);
}

describe('gateway commits', () => {
  it('function mode - a batch runs on the record shipped with it and commits at the gateway; the next one on that node names the record instead', async () => {
    const r = rig();
    await r.run('node-1', [receive('s-1', 'item/lantern')]);
    expect(r.sent[0].req.revision).toBe(0);
    await r.run('node-2', [receive('s-2', 'item/key')]);
    expect(r.sent[1].req.json).toBeDefined(); // node-2 never saw Ann: shipped
    const third = await r.run('node-2', [receive('s-3', 'item/shield'), receive('s-4', 'item/sword.1')]);
    expect(r.sent[2].req.json).toBeUndefined(); // node-2 made revision 2 and it committed: named
    expect(r.sent[2].req.held).toBe(r.sent[1].req.tag);
    expect(third.conflicts).toBe(0);
    expect(await inventoryOf(r.store)).toEqual(['item/lantern', 'item/key', 'item/shield', 'item/sword.1']);
    expect((await r.store.get(ANN))!.revision).toBe(3); // one commit per batch
  });

  it('function mode - a named record the node no longer keeps is refused, then shipped, and the batch runs once', async () => {
    const r = rig();
    await r.run('node-1', [receive('n-1', 'item/lantern')]);
    await r.run('node-1', [receive('n-2', 'item/key')]);
    // node-1 restarts (same id, nothing kept): the gateway still thinks it keeps revision 2.
    r.nodes.set('node-1', new ShippedTurns(new StatelessTurns(r.store, world), true));
    await r.run('node-1', [receive('n-3', 'item/shield')]);
    const [named, shipped] = r.sent.slice(2);
    expect(named.req.held).toBeDefined();
    expect(named.reply.t).toBe('need-record');
    expect(shipped.req.json).toBeDefined();
    expect(await inventoryOf(r.store)).toEqual(['item/lantern', 'item/key', 'item/shield']);
  });

  it('function mode - a record kept from a rival batch of the same revision is never used in place of the committed one', async () => {
    const r = rig();
    await r.run('node-1', [receive('v-1', 'item/lantern')]);
    // node-2 computes on revision 1 and loses the commit to node-1's batch, which lands first.
    r.beforeReply = () => r.run('node-1', [receive('v-2', 'item/key')]).then(() => undefined);
    await r.run('node-2', [receive('v-3', 'item/shield')]);
    // node-2 kept its losing record as revision 2 once; the gateway must ship, not name, revision 2 or 3.
    await r.run('node-2', [receive('v-4', 'item/sword.1')]);
    expect(await inventoryOf(r.store)).toEqual(['item/lantern', 'item/key', 'item/shield', 'item/sword.1']);
  });

  it('function mode - a commit that conflicts at the gateway runs the batch again on the winner\'s record, each turn once', async () => {
    const r = rig();
    await r.run('node-1', [receive('c-1', 'item/lantern')]);
    r.beforeReply = () => otherWriter(r.store, receive('c-9', 'item/key'));
    const out = await r.run('node-1', [receive('c-2', 'item/sword.1'), receive('c-3', 'item/shield')]);
    expect(out.conflicts).toBe(1);
    expect(out.results.every((x) => 'effects' in x)).toBe(true);
    expect(await inventoryOf(r.store)).toEqual(['item/lantern', 'item/key', 'item/sword.1', 'item/shield']);
  });

  it('function mode - a batch chained on one in flight commits after it, and runs again when that one lost its commit', async () => {
    const r = rig();
    await r.run('node-1', [receive('p-1', 'item/lantern')]);
    // Clean pipeline: the second batch runs on what the first left, and both commit in order.
    const [a, b] = await Promise.all([r.run('node-1', [receive('p-2', 'item/key')]), r.run('node-1', [receive('p-3', 'item/shield')])]);
    expect(r.sent[2].req.after).toBe(r.sent[1].req.tag);
    expect([a.conflicts, b.conflicts]).toEqual([0, 0]);
    // Now the first loses its commit to another writer: the one chained on it must not land on top.
    r.beforeReply = () => otherWriter(r.store, receive('p-9', 'item/sword.1'));
    const [c, d] = await Promise.all([r.run('node-1', [receive('p-4', 'item/torch')]), r.run('node-1', [receive('p-5', 'item/map')])]);
    expect(c.conflicts).toBeGreaterThanOrEqual(1);
    expect(d.conflicts).toBeGreaterThanOrEqual(1);
    expect(r.sent.some((x) => x.req.after !== undefined && x.req.msgs[0].id === 'p-5')).toBe(true);
    const inventory = (await inventoryOf(r.store)) as string[];
    expect([...inventory].sort()).toEqual(['item/key', 'item/lantern', 'item/map', 'item/shield', 'item/sword.1', 'item/torch'].sort());
    // Every turn is in the record's window exactly once.
    const ids = ((await r.store.get(ANN))!.value as { recent: Array<[string]> }).recent.map(([id]) => id);
    expect(ids.filter((id) => id.startsWith('p-')).sort()).toEqual(['p-1', 'p-2', 'p-3', 'p-4', 'p-5', 'p-9']);
  });

  it.each([true, false])('function mode - arrivals that lose their commit to another arrival: replayed on the winner\'s record with merge %s, else run again', async (merge) => {
    const r = rig();
    const room = 'room/lantern_market';
    const config = { shardCapacity: 0, merge };
    const enter = (id: string, who: string): Msg => ({ id, type: 'enter', player: `player/${who}`, name: who, dir: null });
    const arrive = (node: string, msgs: Msg[]) => r.commits.run(node, room, msgs, config, 0, 0);
    await arrive('node-1', [enter('m-1', 'a')]);
    // Another gateway's arrival lands while b's batch computes; c's is chained on b's.
    r.beforeReply = async () => void (await new StatelessTurns(r.store, world).run(room, enter('m-9', 'z'), config));
    const [b, c] = await Promise.all([arrive('node-1', [enter('m-2', 'b')]), arrive('node-1', [enter('m-3', 'c')])]);
    const runs = (id: string) => r.sent.filter((x) => x.req.msgs.some((m) => m.id === id)).length;
    if (merge) {
      // Each lost a race (the contention gate hears of it), and each ran once.
      expect([b.conflicts, c.conflicts, runs('m-2'), runs('m-3')]).toEqual([1, 1, 1, 1]);
    } else {
      expect(b.conflicts).toBeGreaterThanOrEqual(1);
      expect(runs('m-2')).toBe(b.conflicts + 1);
    }
    const record = (await r.store.get(room))!.value as { state: { occupants: string[] }; recent: Array<[string]> };
    expect([...record.state.occupants].sort()).toEqual(['player/a', 'player/b', 'player/c', 'player/z']);
    expect(record.recent.map(([id]) => id).sort()).toEqual(['m-1', 'm-2', 'm-3', 'm-9']);
  });
});

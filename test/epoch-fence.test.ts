// Fencing at a node: it keeps the highest mode-table epoch it has acted on and
// refuses turns stamped older, so a gateway that missed a switch (paused, cut
// off) cannot run an object in its old mode or at its old home.
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeRuntime } from '../modes/node-runtime.js';
import { MemoryStore } from '../store/memory-store.js';
import { isStaleEpoch } from '../lattice/epoch-fence.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { NodeRequest } from '../lattice/lattice.js';
import type { TurnsRequest } from '../modes/function/function-requests.js';

let definition: WorldDefinition;
beforeAll(async () => {
  definition = (await loadLiveWorld(DEFAULT_WORLD)).definition;
});

const config = { shardCapacity: 0 };
const look = (id: string, epoch?: number): NodeRequest => ({ t: 'turn', mode: 'actor', ref: 'room/mystical_plaza', msg: { id, type: 'look', actor: 'player/ann' }, config, epoch });

describe('epoch fence', () => {
  it('fence - a node refuses a turn stamped older than an epoch it acted on, with a recognisable error', async () => {
    const node = new NodeRuntime('n1', new MemoryStore(), definition);
    try {
      expect((await node.handle(look('a', 3))).t).toBe('effects');
      const refused = await node.handle(look('b', 2)).then(() => undefined, (err: Error) => err);
      expect(refused?.message).toMatch(/^stale epoch 2: node n1 acts on epoch 3/);
      expect(isStaleEpoch(refused)).toBe(true);
      expect(isStaleEpoch(new Error(refused!.message))).toBe(true); // as it arrives over the wire
      const batch = await node.handle({ t: 'mode', mode: 'function', epoch: 1, body: { t: 'turns', ref: 'room/mystical_plaza', msgs: [{ id: 'c', type: 'look', actor: 'player/ann' }], config } as TurnsRequest }).catch((err: Error) => err);
      expect(isStaleEpoch(batch)).toBe(true);
      expect((await node.handle(look('d', 3))).t).toBe('effects'); // the current epoch still runs
      expect((await node.handle(look('e'))).t).toBe('effects'); // unstamped (embedded membership traffic) is not fenced
    } finally {
      node.close();
    }
  });

  it('fence - a release raises the fence, and the same epoch released by a second gateway is not applied twice', async () => {
    const node = new NodeRuntime('n1', new MemoryStore(), definition);
    try {
      await node.handle(look('a', 1));
      expect(node.stats().activations).toBe(1);
      const release = (epoch: number): NodeRequest => ({ t: 'release', actorRefs: { keepIfHome: ['n1'], keepModes: { default: 'function', kinds: {}, objects: {} } }, epoch });
      await node.handle(release(2));
      expect(node.stats().activations).toBe(0);
      expect(isStaleEpoch(await node.handle(look('b', 1)).catch((e: Error) => e))).toBe(true);
      // A turn at epoch 2 activates the room again (say, a table where rooms are actors once more) ...
      await node.handle(look('c', 2));
      expect(node.stats().activations).toBe(1);
      // ... and another gateway's release of epoch 2, arriving late, must not drop it.
      await node.handle(release(2));
      expect(node.stats().activations).toBe(1);
      await node.handle(release(3));
      expect(node.stats().activations).toBe(0);
    } finally {
      node.close();
    }
  });
});

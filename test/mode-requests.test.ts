// A mode's own requests (beyond `turn`) cross the lattice as opaque `mode` requests: a node
// takes one only of a type its mode's spec declares, and from another process only the
// types declared `remote` (modes/mode-spec.ts, `requests`).
import { beforeAll, describe, expect, it } from 'vitest';
import { NodeRuntime } from '../modes/node-runtime.js';
import { MemoryStore } from '../store/memory-store.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { ModeRequest } from '../lattice/lattice.js';

let definition: WorldDefinition;
beforeAll(async () => {
  definition = (await loadLiveWorld(DEFAULT_WORLD)).definition;
});

const look = { t: 'turns', ref: 'room/mystical_plaza', msgs: [{ id: 'a', type: 'look', actor: 'player/ann' }], config: { shardCapacity: 0 } };
const request = (mode: string, body: { t: string }): ModeRequest => ({ t: 'mode', mode, body });

describe('mode requests', () => {
  it('mode requests - a declared request reaches its mode\'s node half and comes back as its reply', async () => {
    const node = new NodeRuntime('n1', new MemoryStore(), definition);
    try {
      const reply = await node.handle(request('function', look));
      expect(reply.t).toBe('mode');
      expect(reply.t === 'mode' && reply.body.t).toBe('batch');
    } finally {
      node.close();
    }
  });

  it('mode requests - a type its mode does not declare, or an unknown mode, is refused and runs nothing', async () => {
    const store = new MemoryStore();
    const node = new NodeRuntime('n1', store, definition);
    try {
      await expect(node.handle(request('actor', look))).rejects.toThrow(/does not know the request actor turns/);
      await expect(node.handle(request('function', { t: 'explode' }))).rejects.toThrow(/does not know the request function explode/);
      await expect(node.handle(request('nope', look))).rejects.toThrow(/does not know the request nope turns/);
      expect(store.stats().writes).toBe(0);
    } finally {
      node.close();
    }
  });

  it('mode requests - from another process only the types declared remote: function batches yes, shipped records no', () => {
    const node = new NodeRuntime('n1', new MemoryStore(), definition);
    try {
      expect(node.acceptsRemote(request('function', look))).toBe(true);
      expect(node.acceptsRemote(request('function', { t: 'compute' }))).toBe(false);
      expect(node.acceptsRemote(request('actor', look))).toBe(false);
      expect(node.acceptsRemote({ t: 'mode', mode: 'function' } as unknown as ModeRequest)).toBe(false);
      expect(node.acceptsRemote({ t: 'stats' })).toBe(true);
    } finally {
      node.close();
    }
  });
});

import { describe, expect, it } from 'vitest';
import { RendezvousPlacement } from '../lattice/placement.js';

const refs = Array.from({ length: 20_000 }, (_, i) => `item/thing.${i}`);

function homes(nodes: string[]): Map<string, string> {
  const p = new RendezvousPlacement();
  p.setNodes(nodes);
  return new Map(refs.map((r) => [r, p.home(r)!]));
}

describe('rendezvous placement', () => {
  it('placement - homes spread evenly over nodes', () => {
    const counts = new Map<string, number>();
    for (const node of homes(['node-1', 'node-2', 'node-3', 'node-4']).values()) counts.set(node, (counts.get(node) ?? 0) + 1);
    expect(counts.size).toBe(4);
    for (const c of counts.values()) expect(Math.abs(c - refs.length / 4)).toBeLessThan(refs.length * 0.03);
  });

  it('placement - when a node leaves, only its objects move', () => {
    const before = homes(['node-1', 'node-2', 'node-3', 'node-4']);
    const after = homes(['node-1', 'node-2', 'node-4']);
    for (const r of refs) {
      if (before.get(r) !== 'node-3') expect(after.get(r)).toBe(before.get(r));
      else expect(after.get(r)).not.toBe('node-3');
    }
  });

  it('placement - when a node joins, objects move only to it, about a fair share', () => {
    const before = homes(['node-1', 'node-2', 'node-3']);
    const after = homes(['node-1', 'node-2', 'node-3', 'node-9']);
    let moved = 0;
    for (const r of refs) {
      if (after.get(r) !== before.get(r)) {
        expect(after.get(r)).toBe('node-9');
        moved += 1;
      }
    }
    expect(Math.abs(moved - refs.length / 4)).toBeLessThan(refs.length * 0.03);
  });

  it('placement - the order nodes are listed in does not matter, and no nodes means no home', () => {
    const a = new RendezvousPlacement();
    a.setNodes(['b', 'a', 'c']);
    const b = new RendezvousPlacement();
    b.setNodes(['c', 'b', 'a']);
    for (const r of refs.slice(0, 500)) expect(a.home(r)).toBe(b.home(r));
    const none = new RendezvousPlacement();
    expect(none.home('room/x')).toBeUndefined();
  });
});

describe('shard placement', () => {
  it('placement - a room\'s shards go round the nodes from the base room\'s home', () => {
    const p = new RendezvousPlacement();
    p.setNodes(['node-1', 'node-2', 'node-3', 'node-4']);
    for (let i = 0; i < 200; i++) {
      const base = `room/r${i}`;
      const homes = [base, `${base}~2`, `${base}~3`, `${base}~4`].map((r) => p.home(r));
      expect(new Set(homes).size).toBe(4);
      expect(p.home(`${base}~5`)).toBe(homes[0]);
    }
    const one = new RendezvousPlacement();
    one.setNodes(['node-1']);
    expect(one.home('room/r1~2')).toBe('node-1');
  });
});

// The bottleneck named in words from one frame's figures: each mode's typical
// party frame, and the quiet case. Figures are those seen on screens during a
// party of 1,000 on a 2-core machine (docs/OPERATIONS.md).
import { describe, expect, it } from 'vitest';
import { bottleneckOf, type BottleneckFigures } from '../ops/bottleneck.js';
import { shardingState } from '../modes/actor/sharding-state.js';
import { uniformTable } from '../dispatch/mode-table.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import type { HotRow, NodeRow } from '../ops/status.js';

const node = (id: string, elu: number, turnsPerSec = 0): NodeRow => ({ id, elu, turnsPerSec, objects: 0, mailbox: 0, p50Ms: 0, p99Ms: 0 });
const hot = (ref: string, mode: string, home: string, turnsPerSec: number, conflictsPerSec = 0): HotRow => ({ ref, mode, home, turnsPerSec, conflictsPerSec, mailbox: 0 });
const store = (over: Partial<BottleneckFigures['store']> = {}): BottleneckFigures['store'] => ({
  kind: 'file', opsPerSec: 0, readsPerSec: 0, writesPerSec: 0, conflictsPerSec: 0, commitsPerSec: 0, ...over,
});

function figures(over: Partial<BottleneckFigures>): BottleneckFigures {
  return { modes: uniformTable('actor'), nodes: [], store: store(), hot: [], players: 1000, ...over };
}

describe('bottleneck', () => {
  it('bottleneck - function mode with a busy gateway: sessions, and store and turns for the nodes', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('function'),
      nodes: [node('gateway', 0.98), node('node-1', 0.2), node('node-2', 0.29), node('node-3', 0.07)],
      store: store({ opsPerSec: 2410, conflictsPerSec: 32 }),
      hot: [hot('room/mystical_plaza', 'function', 'no home', 480, 32)],
    }));
    expect(b.kind).toBe('gateway');
    expect(b.text).toBe('gateway: 98% busy: 1000 sessions, store and turns for 3 nodes — the limit now');
  });

  it('bottleneck - several gateways: the busiest one is named with its own sessions', () => {
    const gw = (id: string, elu: number, sockets: number) => ({ id, host: 'vm', sockets, commandsPerSec: 0, linesPerSec: 0, elu, p50Ms: 0, p99Ms: 0, epoch: 1 });
    const b = bottleneckOf(figures({
      nodes: [node('gateway', 0.5), node('node-1', 0.2), node('node-2', 0.25)],
      gateways: [gw('gw-a', 0.5, 400), gw('gw-b', 0.91, 600)],
    }));
    expect(b.kind).toBe('gateway');
    expect(b.where).toBe('gw-b');
    expect(b.text).toBe('gateway gw-b: 91% busy: 600 sessions, turns for 2 nodes (2 gateways: add one to spread the sessions) — the limit now');
  });

  it('bottleneck - actor mode: the plaza on one saturated node is a hot object', () => {
    const b = bottleneckOf(figures({
      nodes: [node('gateway', 0.4), node('node-1', 0.01), node('node-2', 0.02), node('node-3', 0.83, 600)],
      hot: [hot('player/guestaab', 'actor', 'node-1', 3), hot('room/mystical_plaza', 'actor', 'node-3', 583)],
    }));
    expect(b).toMatchObject({ kind: 'hot-object', where: 'room/mystical_plaza' });
    expect(b.text).toBe('mystical_plaza: 583 turns/s on node-3 alone (83% busy), a hot object — the limit now');
  });

  it('bottleneck - functions losing most of their CAS on one record: contention', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('function'),
      store: store({ kind: 'nats-kv', conflictsPerSec: 120 }),
      nodes: [node('gateway', 0.3), node('node-1', 0.4), node('node-2', 0.4)],
      hot: [hot('room/mystical_plaza', 'function', 'no home', 30, 120)],
    }));
    expect(b.kind).toBe('contention');
    expect(b.text).toBe('mystical_plaza: 120 CAS conflicts/s, functions contend on one record — the limit now');
  });

  it('bottleneck - a function record whose turns queue while every thread idles: a backlog, named with its queue', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('function'),
      nodes: [node('gateway', 0.11), node('node-1', 0.01), node('node-2', 0.02), node('node-3', 0)],
      hot: [{ ...hot('room/mystical_plaza', 'function', 'no home', 21, 2.1), mailbox: 944 }],
    }));
    expect(b).toMatchObject({ kind: 'backlog', where: 'room/mystical_plaza' });
    expect(b.text).toBe('mystical_plaza: 944 turns queued, 21/s run, functions take turns on one record — the limit now');
  });

  it('bottleneck - a queue behind a saturated gateway: the gateway is named, the queue is its symptom', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('function'),
      nodes: [node('gateway', 0.99), node('node-1', 0.06)],
      hot: [{ ...hot('room/mystical_plaza', 'function', 'no home', 38, 1.6), mailbox: 945 }],
    }));
    expect(b.kind).toBe('gateway');
  });

  it('bottleneck - a short queue that drains within a second is not named', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.1), node('node-1', 0.1)], hot: [{ ...hot('room/a', 'actor', 'node-1', 500), mailbox: 60 }] }));
    expect(b.kind).toBe('none');
  });

  it('bottleneck - in-process: the gateway runs every turn on one core', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('in-process'),
      nodes: [node('gateway', 0.91, 900), node('node-1', 0), node('node-2', 0)],
      hot: [hot('room/mystical_plaza', 'in-process', 'gateway', 850)],
    }));
    expect(b.text).toBe('gateway: 91% busy: 1000 sessions and every turn (900/s), one core — the limit now');
  });

  it('bottleneck - below the limit it names the busiest part but says it is not yet a limit', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.55), node('node-1', 0.1)] }));
    expect(b.text).toBe('gateway: 55% busy: 1000 sessions, turns for 1 node — busiest, not yet a limit');
  });

  it('bottleneck - a quiet server says nothing is near a limit', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.05), node('node-1', 0.12), node('node-2', 0.02)] }));
    expect(b).toMatchObject({ kind: 'none', text: 'nothing near a limit: busiest is node-1 at 12%' });
  });

  it('bottleneck - every node busy and balanced: add a node', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.3), node('node-1', 0.9), node('node-2', 0.88)], hot: [hot('room/a', 'actor', 'node-1', 50)] }));
    expect(b.text).toBe('nodes: all 2 at 88% busy or more: add a node — the limit now');
  });
});

describe('sharding state', () => {
  it('sharding - off, on in actor mode, and actor only elsewhere', () => {
    expect(shardingState(uniformTable('actor'), 0)).toBe('off');
    expect(shardingState(uniformTable('actor'), 100)).toBe('on (100/room)');
    expect(shardingState(uniformTable('function'), 100)).toBe('actor only: switch to actor to shard');
    expect(shardingState(uniformTable('in-process'), 100)).toBe('actor only: switch to actor to shard');
    expect(shardingState(parseModeSpec('room=actor,default=function'), 50)).toBe('on (50/room)');
  });
});

describe('bottleneck - the host', () => {
  const host = (busy: number, steal = 0) => ({ cores: 2, busy, steal });

  it('bottleneck - every core busy while no thread is: the machine is named, with the busiest threads', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('in-process'),
      nodes: [node('gateway', 0.57), node('node-1', 0.3), node('node-2', 0.25)],
      host: host(0.97, 0.08),
    }));
    expect(b.kind).toBe('machine');
    expect(b.text).toBe('the machine: 2 cores 97% busy, 8% taken by the hypervisor (gateway 57%, node-1 30%, node-2 25%): threads wait for a core, add cores or move load off this host — the limit now');
  });

  it('bottleneck - one saturated thread on an idle machine is still the thread', () => {
    const b = bottleneckOf(figures({
      modes: uniformTable('in-process'),
      nodes: [node('gateway', 0.99), node('node-1', 0.01)],
      host: { cores: 16, busy: 0.1, steal: 0 },
    }));
    expect(b.kind).toBe('gateway');
  });

  it('bottleneck - an idle server on a busy host names nothing: the load is someone else\'s', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.02), node('node-1', 0.01)], host: host(1) }));
    expect(b.kind).toBe('none');
  });

  it('bottleneck - a machine half busy is not named', () => {
    const b = bottleneckOf(figures({ nodes: [node('gateway', 0.2), node('node-1', 0.1)], host: host(0.5) }));
    expect(b.kind).toBe('none');
  });
});

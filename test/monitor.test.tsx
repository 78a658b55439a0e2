// The node monitor as a component: fed Status frames by a fake stream and
// given a fake admin client that records every request its keys make.
import { afterEach, describe, expect, it } from 'vitest';
import { render, cleanup } from 'ink-testing-library';
import { MonitorApp } from '../tui/monitor-app.js';
import type { FrameSource } from '../tui/metrics-stream.js';
import type { AdminClient } from '../tui/admin-actions.js';
import type { Status } from '../ops/status.js';
import { bottleneckOf } from '../ops/bottleneck.js';

function status(over: Partial<Status> = {}): Status {
  const s: Omit<Status, 'bottleneck'> = {
    time: Date.now(), mode: 'actor', modes: { default: 'actor', kinds: {}, objects: {} }, shardCapacity: 0, sharding: 'off', autoPromote: false, players: 1000,
    nodes: [
      { id: 'gateway', objects: 3, turnsPerSec: 12, mailbox: 0, elu: 0.2, p50Ms: 0.1, p99Ms: 1 },
      { id: 'node-1', objects: 300, turnsPerSec: 40, mailbox: 0, elu: 0.1, p50Ms: 0.1, p99Ms: 2 },
      { id: 'node-2', objects: 301, turnsPerSec: 870, mailbox: 412, elu: 0.9, p50Ms: 4, p99Ms: 120 },
      { id: 'node-3', objects: 299, turnsPerSec: 35, mailbox: 0, elu: 0.1, p50Ms: 0.1, p99Ms: 2 },
    ],
    store: { kind: 'file', opsPerSec: 250, readsPerSec: 100, writesPerSec: 150, conflictsPerSec: 7, commitsPerSec: 140 },
    hot: [
      { ref: 'room/mystical_plaza', turnsPerSec: 812, mode: 'actor', home: 'node-2', conflictsPerSec: 0, mailbox: 412 },
      { ref: 'player/guestaab', turnsPerSec: 2, mode: 'actor', home: 'node-1', conflictsPerSec: 0, mailbox: 0 },
    ],
    shards: [], events: [{ time: Date.now(), level: 'info', text: 'mode switched from=in-process to=actor pausedMs=12' }],
    ...over,
  };
  return { bottleneck: bottleneckOf(s), ...s };
}

/** A stream the test pushes frames into. */
class FakeSource implements FrameSource {
  private push: ((s: Status) => void) | undefined;
  subscribe(frame: (s: Status) => void, state: (c: boolean) => void): () => void {
    this.push = frame;
    state(true);
    return () => { this.push = undefined; };
  }
  send(s: Status): void { this.push?.(s); }
}

/** Records requests; answers like the server would, or fails with `fail`. */
class FakeAdmin implements AdminClient {
  calls: Array<{ method: string; path: string; body: unknown }> = [];
  fail: string | undefined;
  async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    this.calls.push({ method, path, body });
    if (this.fail) throw new Error(this.fail);
    const b = body as Record<string, unknown>;
    const answers: Record<string, unknown> = {
      '/admin/dispatch': { modes: b?.spec, pausedMs: 3, held: 0 },
      '/admin/shards': { shardCapacity: b?.capacity },
      '/admin/nodes': { nodes: ['node-1', 'node-4'], message: `node ${b?.action}ed` },
      '/admin/party': { message: b?.stop ? 'party stopped: 200 guests went home' : `party started: ${b?.guests} guests` },
    };
    return answers[path] as T;
  }
}

async function until(test: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function setup(size: { columns?: number; rows?: number } = { columns: 100, rows: 30 }) {
  const source = new FakeSource();
  const admin = new FakeAdmin();
  let quit = 0;
  const app = render(<MonitorApp source={source} admin={admin} columns={size.columns} rows={size.rows} onQuit={() => { quit += 1; }} />);
  const frame = () => app.lastFrame() ?? '';
  const press = async (keys: string) => {
    for (const k of keys) {
      app.stdin.write(k);
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { source, admin, app, frame, press, quits: () => quit };
}

afterEach(() => cleanup());

describe('monitor', () => {
  it('monitor - shows every node with its load bar, turns/s and mailbox, and the hot objects with their homes', async () => {
    const { source, frame } = setup();
    source.send(status());
    await until(() => frame().includes('node-3'), 'the node rows');
    const rows = frame().split('\n');
    const row = (id: string) => rows.find((l) => l.startsWith(id)) ?? '';
    expect(row('gateway')).toMatch(/^gateway\s+██░░░░░░░░\s+20%\s+12\s+0\s+3\s/);
    expect(row('node-2')).toMatch(/^node-2\s+█████████░\s+90%\s+870\s+412\s+301\s+4\.0\s+120\s/);
    expect(row('node-1')).toMatch(/^node-1\s+█░░░░░░░░░\s+10%\s+40\s/);
    expect(frame()).toMatch(/room\/mystical_plaza\s+812\s+node-2\s+actor\s+0\s+412/);
    expect(frame()).toMatch(/mode: actor\s+players: 1000/);
    expect(frame()).toMatch(/store \(file\): 250 ops\/s .*CAS conflicts: 7\/s/);
    expect(frame()).toContain('mode switched from=in-process to=actor pausedMs=12');
  });

  it('monitor - function mode shows hot objects with no home and a mixed mode per kind', async () => {
    const { source, frame } = setup();
    source.send(status({
      mode: 'default=actor, room=function',
      hot: [{ ref: 'room/mystical_plaza', turnsPerSec: 500, mode: 'function', home: 'no home', conflictsPerSec: 42, mailbox: 0 }],
    }));
    await until(() => frame().includes('no home'), 'the hot object');
    expect(frame()).toMatch(/room\/mystical_plaza\s+500\s+no home\s+function\s+42/);
    expect(frame()).toContain('mode: default=actor, room=function');
  });

  it('monitor - the sparkline draws the busiest node tallest on a shared scale', async () => {
    const { source, frame } = setup();
    for (let i = 0; i < 8; i++) source.send(status({ time: i }));
    await until(() => (frame().split('\n').find((l) => l.startsWith('node-2')) ?? '').includes('█'.repeat(1) + '█'), 'sparklines');
    const spark = (id: string) => (frame().split('\n').find((l) => l.startsWith(id)) ?? '').split(/\s+/).at(-1) ?? '';
    expect(spark('node-2')).toMatch(/^█+$/);
    expect(spark('node-1')).toMatch(/^▁+$/);
  });

  it('monitor - keys 1 2 3 s + - k send the matching admin requests', async () => {
    const { source, admin, press, frame } = setup();
    source.send(status());
    await until(() => frame().includes('node-3'), 'a frame');
    await press('123s+-k');
    await until(() => admin.calls.length === 7, 'seven requests');
    expect(admin.calls).toEqual([
      { method: 'POST', path: '/admin/dispatch', body: { spec: 'in-process' } },
      { method: 'POST', path: '/admin/dispatch', body: { spec: 'actor' } },
      { method: 'POST', path: '/admin/dispatch', body: { spec: 'function' } },
      { method: 'POST', path: '/admin/shards', body: { capacity: 100 } },
      { method: 'POST', path: '/admin/nodes', body: { action: 'add' } },
      { method: 'POST', path: '/admin/nodes', body: { action: 'remove' } },
      { method: 'POST', path: '/admin/nodes', body: { action: 'kill' } },
    ]);
    await until(() => frame().includes('you: kill a node: node killed; nodes: node-1, node-4'), 'the last result on the you: line');
  });

  it('monitor - s turns sharding off when it is on, and the shards show', async () => {
    const { source, admin, press, frame } = setup();
    source.send(status({ shardCapacity: 100, shards: [{ room: 'room/mystical_plaza', players: 100 }, { room: 'room/mystical_plaza~2', players: 57 }] }));
    await until(() => frame().includes('shards: mystical_plaza 100 · mystical_plaza~2 57'), 'the shard line');
    await press('s');
    await until(() => admin.calls.length === 1, 'the request');
    expect(admin.calls[0]).toEqual({ method: 'POST', path: '/admin/shards', body: { capacity: 0 } });
  });

  it('monitor - p asks how many guests and starts the party; p again stops it', async () => {
    const { source, admin, press, frame } = setup();
    source.send(status());
    await press('p');
    await until(() => frame().includes('How many guests?'), 'the prompt');
    await press('20x0\r');
    await until(() => admin.calls.length === 1, 'the party request');
    expect(admin.calls[0]).toEqual({ method: 'POST', path: '/admin/party', body: { guests: 200 } });
    await until(() => frame().includes('party: on'), 'the party shown as on');
    await press('p');
    await until(() => admin.calls.length === 2, 'the stop request');
    expect(admin.calls[1]).toEqual({ method: 'POST', path: '/admin/party', body: { stop: true } });
    await until(() => frame().includes('party: off'), 'the party shown as off');
  });

  it('monitor - Enter at the party prompt means 1,000 guests, and Esc cancels', async () => {
    const { admin, press, frame } = setup();
    await press('p');
    await until(() => frame().includes('How many guests?'), 'the prompt');
    await press('\u001b');
    await until(() => !frame().includes('How many guests?'), 'the prompt gone');
    await press('p\r');
    await until(() => admin.calls.length === 1, 'the party request');
    expect(admin.calls).toEqual([{ method: 'POST', path: '/admin/party', body: { guests: 1000 } }]);
  });

  it('monitor - a refused action shows its error once, on the you: line', async () => {
    const { admin, press, frame } = setup();
    admin.fail = 'this server runs no nodes (started with --nodes 0)';
    await press('k');
    await until(() => frame().includes('you: kill a node failed: this server runs no nodes'), 'the error');
    expect(frame().split('kill a node failed').length - 1).toBe(1);
  });

  it('monitor - an action is shown once: its result on the you: line, the server\'s own event in the list', async () => {
    const { source, press, frame } = setup();
    await press('3');
    await until(() => frame().includes('you: switch to function: mode function'), 'the result');
    source.send(status({ events: [{ time: Date.now(), level: 'info', text: 'mode switched from=actor to=function epoch=3 by=admin-api' }] }));
    await until(() => frame().includes('mode switched from=actor to=function'), 'the server event');
    expect(frame().split('switch to function').length - 1).toBe(1);
  });

  it('monitor - distinct events are never folded: three listeners, two joins, two switches each keep their line', async () => {
    const { source, frame } = setup({ columns: 120, rows: 40 });
    const t = Date.now();
    source.send(status({ events: [
      { time: t, level: 'info', text: 'listening protocol=telnet address=127.0.0.1:4000' },
      { time: t, level: 'info', text: 'listening protocol=http address=127.0.0.1:4001 play=ws://127.0.0.1:4001/play' },
      { time: t, level: 'info', text: 'listening protocol=admin address=127.0.0.1:4002 api=http://127.0.0.1:4002/admin' },
      { time: t + 1, level: 'info', text: 'node joined node=node-4 nodes=3' },
      { time: t + 2, level: 'info', text: 'node joined node=node-5 nodes=4' },
      { time: t + 3, level: 'info', text: 'mode switched from=actor to=function epoch=2' },
      { time: t + 4, level: 'info', text: 'mode switched from=function to=in-process epoch=3' },
    ] }));
    await until(() => frame().includes('from=function to=in-process'), 'the last switch');
    for (const text of ['protocol=telnet', 'protocol=http', 'protocol=admin', 'node=node-4', 'node=node-5', 'from=actor to=function']) expect(frame()).toContain(text);
    expect(frame()).not.toMatch(/×\d/);
  });

  it('monitor - party progress shows as one line, the latest', async () => {
    const { source, frame } = setup();
    const t = Date.now();
    source.send(status({ events: [10, 20, 30].map((pct, i) => ({ time: t + i, level: 'info', text: `party progress phase=connecting pct=${pct} done=${pct * 10} total=1000` })) }));
    await until(() => frame().includes('pct=30'), 'the latest progress');
    expect(frame()).not.toContain('pct=20');
    expect(frame()).not.toContain('pct=10');
  });

  it('monitor - events are listed by time, whatever order they arrive in', async () => {
    const { source, frame } = setup();
    const t = Date.now();
    source.send(status({ events: [{ time: t + 50, level: 'info', text: 'node joined node=node-9 nodes=4' }] }));
    source.send(status({ events: [{ time: t + 10, level: 'info', text: 'node left node=node-2 reason=stopped nodes=3' }] }));
    await until(() => frame().includes('node=node-2'), 'both events');
    expect(frame().indexOf('node=node-2')).toBeLessThan(frame().indexOf('node=node-9'));
  });

  it('monitor - with sharding on, the shard line lists shards and the rooms they split from, not every crowd', async () => {
    const { source, frame } = setup();
    source.send(status({ shardCapacity: 100, sharding: 'on (100/room)', shards: [
      { room: 'room/mystical_plaza', players: 100 }, { room: 'room/mystical_plaza~2', players: 60 },
    ] }));
    await until(() => frame().includes('mystical_plaza~2 60'), 'the shard line');
    expect(frame()).toMatch(/shards: mystical_plaza 100 · mystical_plaza~2 60/);
  });

  it('monitor - a storm of one event folds into a counted line and the last action stays in sight', async () => {
    const { source, press, frame, admin } = setup({ columns: 80, rows: 24 });
    admin.fail = 'no nodes';
    await press('k');
    const storm = Array.from({ length: 150 }, (_, i) => ({ time: Date.now() + i, level: 'warn', text: `turn retry ref=room/mystical_plaza id=${i} attempt=1` }));
    source.send(status({ events: storm }));
    await until(() => frame().includes('×100 turn retry ref=room/mystical_plaza id=50…149'), 'the folded line');
    expect(frame()).not.toContain('id=148 ');
    expect(frame()).toContain('you: kill a node failed: no nodes');
  });

  it('monitor - login and logout lines stay out of the event list', async () => {
    const { source, frame } = setup();
    source.send(status({ events: [
      { time: 1, level: 'info', text: 'login player=player/guestaaa via=telnet' },
      { time: 2, level: 'info', text: 'node joined node=node-4' },
    ] }));
    await until(() => frame().includes('node joined node=node-4'), 'the node event');
    expect(frame()).not.toContain('guestaaa via=telnet');
  });

  it('monitor - ? shows the help and q quits', async () => {
    const { press, frame, quits } = setup();
    await press('?');
    await until(() => frame().includes('kill the last node'), 'the help');
    await press('x');
    await until(() => !frame().includes('kill the last node'), 'the help closed');
    await press('q');
    await until(() => quits() === 1, 'quit');
  });

  it('monitor - at 80x24 a busy frame fits: no line wider than 80, fewer than 24 lines', async () => {
    const { source, frame } = setup({ columns: 80, rows: 24 });
    const nodes = Array.from({ length: 6 }, (_, i) => ({ id: `node-${i + 1}`, objects: 123_456, turnsPerSec: 123_456, mailbox: 99_999, elu: 1, p50Ms: 1234, p99Ms: 99_999 }));
    const hot = Array.from({ length: 10 }, (_, i) => ({ ref: `room/a_very_long_room_name_that_goes_on_${i}`, turnsPerSec: 99_999, mode: 'function', home: 'no home', conflictsPerSec: 9999, mailbox: 9999 }));
    const events = Array.from({ length: 20 }, (_, i) => ({ time: i, level: 'warn', text: `turn retry ref=room/mystical_plaza attempt=${i} why="${'x'.repeat(120)}"` }));
    source.send(status({ nodes: [status().nodes[0], ...nodes], hot, events, shardCapacity: 100, shards: [{ room: 'room/mystical_plaza~2', players: 100 }] }));
    await until(() => frame().includes('node-6'), 'the frame');
    const lines = frame().split('\n');
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(frame()).toContain('q quit');
    expect(frame()).toContain('room/a_very_long');
  });

  it('monitor - several gateways show as rows of their own with sockets, commands, lines and the epoch; at 80x24 it still fits', async () => {
    const { source, frame } = setup({ columns: 80, rows: 24 });
    const gw = (id: string, elu: number, sockets: number, epoch = 7) => ({ id, host: 'vm', sockets, commandsPerSec: sockets / 2, linesPerSec: sockets * 9, elu, p50Ms: 1.5, p99Ms: 42, epoch, linesPerNatsMsg: sockets / 2 });
    source.send(status({ gateways: [gw('gw-a', 0.61, 500), gw('gw-b', 0.93, 502), gw('gw-c', 0.2, 10, 6)], epoch: 7 }));
    await until(() => frame().includes('gw-c'), 'the gateway rows');
    const rows = frame().split('\n');
    const row = (id: string) => rows.find((l) => l.startsWith(id)) ?? '';
    expect(row('gw-b')).toMatch(/^gw-b\s+█████████░\s+93%\s+502\s+251\s+4518\s+1\.5\s+42\s+7\s+251$/);
    expect(row('gw-c')).toMatch(/\s6\s+5$/);
    expect(frame()).toMatch(/mode: actor \(epoch 7\)/);
    for (const line of rows) expect(line.length).toBeLessThanOrEqual(80);
    expect(rows.length).toBeLessThan(24);
  });

  it('monitor - the bottleneck line names the limit in words under the header', async () => {
    const { source, frame } = setup();
    source.send(status());
    await until(() => frame().includes('bottleneck: mystical_plaza'), 'the bottleneck line');
    expect(frame().split('\n')[2]).toMatch(/^bottleneck: mystical_plaza: 812 turns\/s on node-2 alone \(90% busy\), a hot object — the limit now/);
  });

  it('monitor - with sharding set in function mode the shard line says shards are actor only', async () => {
    const { source, frame } = setup();
    source.send(status({ mode: 'function', modes: { default: 'function', kinds: {}, objects: {} }, shardCapacity: 100, sharding: 'actor only: switch to actor to shard' }));
    await until(() => frame().includes('shards: none'), 'the shard line');
    expect(frame()).toContain('shards: none, actor only: switch to actor to shard (key 2)');
    expect(frame()).toMatch(/sharding: actor only/);
  });

  it('monitor - at 80 columns the help shows every line whole and the footer every key', async () => {
    const { press, frame } = setup({ columns: 80, rows: 24 });
    expect(frame()).toContain('1 in-process 2 actor 3 function p party s shards +/- node k kill ? help q quit');
    await press('?');
    await until(() => frame().includes('kill the last node'), 'the help');
    expect(frame()).not.toMatch(/\S…/); // nothing cut short ("mode: …" is a figure not yet known)
    expect(frame()).toContain('p again sends them home');
    for (const line of frame().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });

  it('monitor - at 80 columns a long bottleneck line wraps whole, its verdict at the end kept', async () => {
    const { source, frame } = setup({ columns: 80, rows: 24 });
    source.send(status({
      mode: 'function', modes: { default: 'function', kinds: {}, objects: {} }, players: 1000,
      nodes: [{ id: 'gateway', objects: 0, turnsPerSec: 0, mailbox: 0, elu: 0.97, p50Ms: 0, p99Ms: 0 }, ...status().nodes.slice(1).map((n) => ({ ...n, elu: 0.1 }))],
      hot: [{ ref: 'room/mystical_plaza', turnsPerSec: 208, mode: 'function', home: 'no home', conflictsPerSec: 18, mailbox: 0 }],
    }));
    await until(() => frame().includes('bottleneck: gateway'), 'the bottleneck line');
    const lines = frame().split('\n');
    expect(`${lines[2]} ${lines[3]}`.replace(/\s+/g, ' ').trim()).toBe('bottleneck: gateway: 97% busy: 1000 sessions, store and turns for 3 nodes — the limit now');
    expect(lines.length).toBeLessThan(24);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
  });
});

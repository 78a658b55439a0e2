// GET /metrics on the admin listener: scraped from a real server under a real bot
// swarm, parsed by a Prometheus text-format parser, every family present and the
// counters moving, in-process and then with the objects on nodes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { describeWithPrometheusParser, parsePrometheus, type Family } from './helpers/prometheus-parser.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { runSwarm } from '../bots/bot-swarm.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

/** Every family the issue asks for (commands and their latency by mode, loops, sockets, turns,
 *  mailboxes and the hottest objects, CAS conflicts, timers, store writes, scripts, refusals),
 *  as the parser names them (a counter without its _total). */
const FAMILIES = [
  'mud_command_duration_seconds', 'mud_players', 'mud_sockets', 'mud_lines_delivered_total', 'mud_mode_epoch',
  'mud_event_loop_utilization', 'mud_turn_duration_seconds', 'mud_turns_total', 'mud_mailbox_depth', 'mud_node_objects',
  'mud_node_resident_memory_bytes', 'mud_hot_object_mailbox', 'mud_hot_object_turns_per_second', 'mud_hot_object_cas_conflicts_per_second',
  'mud_cas_conflicts_total', 'mud_store_operations_total', 'mud_store_cas_conflicts_total', 'mud_store_commits_total',
  'mud_store_write_duration_seconds', 'mud_timers_pending', 'mud_timers_fired_per_second', 'mud_timer_lag_seconds',
  'mud_script_calls_total', 'mud_script_call_seconds_total', 'mud_refusals_total', 'mud_bottleneck',
];

async function scrape(server: TestServer, token = server.adminToken): Promise<{ status: number; type: string; families: Map<string, Family> }> {
  const res = await fetch(`http://127.0.0.1:${server.adminPort}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (res.status !== 200) return { status: res.status, type: res.headers.get('content-type') ?? '', families: new Map() };
  return { status: res.status, type: res.headers.get('content-type') ?? '', families: await parsePrometheus(text) };
}

/** The sum of a family's series matching the labels: a counter's or gauge's value, a histogram's count. */
function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name.replace(/_total$/, ''));
  if (!family) throw new Error(`no family ${name}`);
  const sample = family.type === 'histogram' ? `${family.name}_count` : family.type === 'counter' ? `${family.name}_total` : family.name;
  return family.samples.filter((m) => m.name === sample && Object.entries(labels).every(([k, v]) => m.labels[k] === v)).reduce((sum, m) => sum + m.value, 0);
}

/** The label values a family's series carry. */
function labelValues(families: Map<string, Family>, name: string, label: string): string[] {
  return [...new Set(families.get(name.replace(/_total$/, ''))!.samples.map((m) => m.labels[label]).filter((v): v is string => v !== undefined))].sort();
}

async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeWithPrometheusParser('metrics', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 2 });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('metrics - refused without the admin token', async () => {
    expect((await scrape(server, 'wrong')).status).toBe(401);
    const res = await fetch(`http://127.0.0.1:${server.adminPort}/metrics`);
    expect(res.status).toBe(401);
  });

  it('metrics - under a swarm in-process, then on nodes: every family present, counters moving, labels bounded', async () => {
    const before = await scrape(server);
    expect(before.status).toBe(200);
    expect(before.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of FAMILIES) expect(before.families.has(name.replace(/_total$/, '')), name).toBe(true);
    expect(before.families.get('mud_command_duration_seconds')!.type).toBe('histogram');
    expect(before.families.get('mud_refusals')!.type).toBe('counter');
    expect(labelValues(before.families, 'mud_refusals_total', 'gateway')).toHaveLength(1);

    // One of each protocol held open, and a line over the input budget (a refusal).
    const telnet = await TelnetClient.open(server.telnetPort);
    await telnet.nextAnswer();
    const ws = new WebSocket(`ws://127.0.0.1:${server.httpPort}/play`);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    telnet.send('x'.repeat(5000));

    const swarm = runSwarm({ count: 20, rate: 4, durationMs: 1500, telnetPort: server.telnetPort, prefix: 'metric', wander: 0.5 });
    await until(() => server.registry.size >= 20, '20 bots in');
    const during = await scrape(server);
    const result = await swarm;
    expect(result).toMatchObject({ connected: 20, errors: 0 });
    expect(value(during.families, 'mud_sockets', { protocol: 'telnet' })).toBeGreaterThanOrEqual(21);
    expect(value(during.families, 'mud_sockets', { protocol: 'websocket' })).toBe(1);
    expect(value(during.families, 'mud_players')).toBeGreaterThanOrEqual(20);

    const after = await scrape(server);
    const moved = (name: string, labels: Record<string, string> = {}) => value(after.families, name, labels) - value(before.families, name, labels);
    expect(moved('mud_command_duration_seconds', { mode: 'in-process' })).toBeGreaterThanOrEqual(result.answered);
    expect(moved('mud_turns_total', { node: 'gateway' })).toBeGreaterThan(result.answered);
    expect(moved('mud_lines_delivered_total')).toBeGreaterThan(0);
    expect(moved('mud_store_operations_total', { op: 'write' })).toBeGreaterThan(0);
    expect(moved('mud_store_write_duration_seconds')).toBeGreaterThan(0);
    expect(moved('mud_store_commits_total')).toBeGreaterThan(0);
    // The plaza's script greets every bot that walks in: calls on the gateway's thread, and their cost.
    expect(moved('mud_script_calls_total', { thread: 'gateway' })).toBeGreaterThan(0);
    expect(moved('mud_script_call_seconds_total', { thread: 'gateway' })).toBeGreaterThan(0);
    expect(moved('mud_refusals_total', { limit: 'input-too-long' })).toBeGreaterThanOrEqual(1);
    expect(value(after.families, 'mud_event_loop_utilization', { thread: 'gateway' })).toBeGreaterThan(0);
    expect(after.families.get('mud_bottleneck')!.samples).toHaveLength(1);
    // Hot objects: the status's top 10, no more.
    expect(labelValues(after.families, 'mud_hot_object_turns_per_second', 'ref').length).toBeGreaterThan(0);
    expect(labelValues(after.families, 'mud_hot_object_turns_per_second', 'ref').length).toBeLessThanOrEqual(10);
    telnet.close();
    ws.close();

    // On the nodes: the commands are labelled function, the turns ran on node threads.
    await server.ops.dispatch('function', 'test');
    const onNodes = await runSwarm({ count: 10, rate: 4, durationMs: 1500, telnetPort: server.telnetPort, prefix: 'nodal', wander: 0.5 });
    expect(onNodes).toMatchObject({ connected: 10, errors: 0 });
    const last = await scrape(server);
    const grew = (name: string, labels: Record<string, string> = {}) => value(last.families, name, labels) - value(after.families, name, labels);
    expect(grew('mud_command_duration_seconds', { mode: 'function' })).toBeGreaterThanOrEqual(onNodes.answered);
    expect(grew('mud_command_duration_seconds', { mode: 'in-process' })).toBe(0);
    const nodes = labelValues(last.families, 'mud_event_loop_utilization', 'thread').filter((t) => t !== 'gateway');
    expect(nodes).toHaveLength(2);
    const onEach = (name: string, label: string) => nodes.reduce((sum, node) => sum + value(last.families, name, { [label]: node }), 0);
    expect(onEach('mud_turns_total', 'node')).toBeGreaterThan(0);
    expect(onEach('mud_script_calls_total', 'thread')).toBeGreaterThan(0);
    expect(value(last.families, 'mud_mode_epoch')).toBeGreaterThan(value(after.families, 'mud_mode_epoch'));
  });
});

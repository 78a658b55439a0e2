// uniform-local-gateways (issue 21 item 3): does `mud serve --gateways N` (no NATS: N gateway
// processes behind the same ports, one file store and the node threads in the primary) add
// capacity on one machine? The closed-loop bots of `uniform` roam the 100-room grid through the
// one telnet port (Node's cluster module spreads the connections), against --gateways 1, then 2.
// Commands/s, p50/p99, and CPU per command by process: the primary (store, node threads, relay)
// and the gateways together; and, as the yardstick, plain `mud serve` (one gateway in one process,
// no relay: `single.*`).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';
import { benchWorldDir, gridSpec } from './bench-world.js';
import { closeAll, loginBots } from './bots.js';
import { measureClosedLoop, type WindowMeter } from './closed-loop.js';
import { ADMIN_TOKEN, adminStatus, listeningPort, procCpuMicros, spawnMud, stopChild, UNLIMITED, type MudProcess } from './mud-process.js';
import { roaming, walkTo, type Walker } from './uniform.js';
import { loadAverage, type BenchMode, type BenchOptions, type Scenario } from './scenario.js';

const NODES = 2;

export const uniformLocalGateways: Scenario = {
  name: 'uniform-local-gateways',
  modes: ['actor'],
  about: 'mud serve --gateways 1 and 2 (no NATS, file store): 1,000 bots roaming a 100-room grid through one telnet port',
  async run(mode: BenchMode, opts: BenchOptions) {
    const bots = opts.size ?? (opts.smoke ? 16 : 1000);
    const metrics: Record<string, number> = {};
    for (const count of [0, 1, 2]) {
      for (const [k, v] of Object.entries(await overGateways(mode, count, bots, opts))) metrics[`${count ? `g${count}` : 'single'}.${k}`] = v;
    }
    metrics['g2.vsG1'] = metrics['g2.commandsPerSec'] / Math.max(metrics['g1.commandsPerSec'], 1e-3);
    metrics['g2.p99VsG1'] = metrics['g2.p99Ms'] / Math.max(metrics['g1.p99Ms'], 1e-3);
    metrics['g2.vsSingle'] = metrics['g2.commandsPerSec'] / Math.max(metrics['single.commandsPerSec'], 1e-3);
    return {
      metrics, targets: [{ metric: 'g2.errors', op: '==', value: 0, label: 'no lost commands' }],
      setup: { kind: 'local gateways', world: 'generated grid', bots, gateways: '1,2', nodes: opts.nodes ?? NODES, store: 'file', logins: 'guests', loop: 'closed', rateLimit: 'lifted', load: loadAverage() },
    };
  },
};

/** The primary says its gateways listen, and a gateway's own lines with the ports are out: the two come
 *  from different processes onto one pipe, in either order. */
const GATEWAYS_READY = /^(?=[\s\S]*gateways ready)(?=[\s\S]*listening protocol=telnet)(?=[\s\S]*listening protocol=admin)/;

/** `count` gateway processes (`--gateways count`), or 0: plain `mud serve`. */
async function overGateways(mode: BenchMode, count: number, bots: number, opts: BenchOptions): Promise<Record<string, number>> {
  const dir = await mkdtemp(join(tmpdir(), 'mud-bench-local-gw-'));
  const grid = gridSpec(opts.smoke);
  const cells = grid.width * grid.height;
  let server: MudProcess | undefined;
  let clients: TelnetClient[] = [];
  try {
    server = await spawnMud(count ? `--gateways ${count}` : 'mud serve', [
      'serve', ...(count ? ['--gateways', String(count)] : []), '--nodes', String(opts.nodes ?? NODES), '--dispatch', mode, '--world', await benchWorldDir('grid', opts.smoke),
      '--data-dir', dir, '--telnet-port', '0', '--http-port', '0', '--admin-port', '0', '--admin-token', ADMIN_TOKEN, ...UNLIMITED,
    ], count ? GATEWAYS_READY : /info ready/, { execArgv: opts.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`] : [] });
    const s = server;
    const adminPort = listeningPort(s, 'admin');
    opts.progress(`uniform-local-gateways ${count ? `x${count}` : 'single process'}: ${bots} guests`);
    clients = await loginBots(listeningPort(s, 'telnet'), bots, { concurrency: 50, guests: true, then: (c, i) => walkTo(c, i % cells, grid) });
    const walkers: Walker[] = clients.map((client, i) => ({ client, x: (i % cells) % grid.width, y: Math.floor((i % cells) / grid.width) }));
    const pids = () => ({ primary: s.child.pid, gateways: [...new Set([...s.log().matchAll(/info gateway joined gateway=gw-\d+ pid=(\d+) gateways=\d+\n/g)].map((m) => Number(m[1])))] });
    const cpu = () => ({ primary: procCpuMicros(pids().primary), gateways: pids().gateways.reduce((n, p) => n + procCpuMicros(p), 0) });
    const host = { status: () => adminStatus(adminPort), cpuMicros: async () => cpu().primary + cpu().gateways };
    const m = await measureClosedLoop(clients, roaming(walkers, grid), host, opts, { meters: [cpuMeter(cpu)] });
    const perCommand = (cores: number) => (m.commandsPerSec ? (cores * 1e6) / m.commandsPerSec : 0);
    return { ...m, primaryCpuUsPerCommand: perCommand(m.primaryCpuCores), gatewayCpuUsPerCommand: perCommand(m.gatewayCpuCores) };
  } finally {
    closeAll(clients);
    if (server) await stopChild(server.child, 'SIGTERM');
    await rm(dir, { recursive: true, force: true });
  }
}

/** Cores used over the window by the primary (store, node threads, relay) and by the gateway processes. */
function cpuMeter(read: () => { primary: number; gateways: number }): WindowMeter {
  let before = read();
  return {
    start: async () => { before = read(); },
    stop: async (seconds) => {
      const after = read();
      return { primaryCpuCores: (after.primary - before.primary) / (seconds * 1e6), gatewayCpuCores: (after.gateways - before.gateways) / (seconds * 1e6) };
    },
  };
}

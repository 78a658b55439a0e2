import { resolve } from 'node:path';
import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import { ClusterModes } from '../cluster/cluster-modes.js';
import { ClusterSwitch, gatewayModeRefusal } from '../cluster/cluster-switch.js';
import { gatewayModeIn, SHARED_MODES } from '../modes/registry.js';
import { formatModeTable, modesIn, tablesEqual, type ModeTable } from '../dispatch/mode-table.js';
import { tableFromSnapshot } from '../modes/parse-modes.js';
import type { ModeSwitching, SwitchHost } from '../dispatch/mode-switching.js';
import type { Knobs } from './operations.js';
import { loadBuiltWorld } from './built-world.js';
import type { ServerOptions } from './server-options.js';

/** With several gateways (a KV store shared over NATS) the mode table is the
 *  cluster's: created from `--dispatch` by the first gateway, adopted by every
 *  later one and by restarts (docs/architecture/live-switch.md, "The live switch across gateways"). */
export interface ModeAuthority {
  table: ModeTable;
  epoch: number;
  switching?: (host: SwitchHost) => ModeSwitching;
  /** The cluster's switch, once the engine made it: sharding goes through it too. */
  cluster?: () => ClusterSwitch | undefined;
}

export async function clusterModes(opts: ServerOptions, store: StateStore, asked: ModeTable, knobs: Knobs, log: Logger): Promise<ModeAuthority> {
  if (!opts.cluster?.shared) return { table: asked, epoch: 1 };
  const { gateways, switchPeers: peers } = opts.cluster;
  const modes = new ClusterModes(store);
  const found = await modes.adoptOrCreate(asked, knobs.shardCapacity, gateways.id);
  const table = tableFromSnapshot(found.record.table);
  const shards = found.record.shardCapacity ?? knobs.shardCapacity;
  if (found.created) log.info('cluster mode table created', { dispatch: formatModeTable(table), shardCapacity: shards, epoch: found.record.epoch });
  else if (!tablesEqual(table, asked) || shards !== knobs.shardCapacity) {
    log.info('dispatch not applied', { asked: formatModeTable(asked), why: 'the cluster already has a mode table', dispatch: formatModeTable(table), shardCapacity: shards, epoch: found.record.epoch, by: found.record.by });
  }
  knobs.shardCapacity = shards;
  const others = gateways.others().map((g) => g.id);
  const local = gatewayModeIn(modesIn(table));
  if (others.length && local) {
    throw new Error(`the cluster's mode table (${formatModeTable(table)}) names ${local}: ${gatewayModeRefusal(local, others)} (switch it first: mud dispatch ${SHARED_MODES[0]} --url http://<admin of ${others[0]}>)`);
  }
  const worldPath = resolve(opts.world);
  let made: ClusterSwitch | undefined;
  return {
    table, epoch: found.record.epoch, cluster: () => made,
    switching: (host) => (made = new ClusterSwitch(host, {
      modes, peers, gateway: gateways.id, log, loadWorld: async () => (await loadBuiltWorld(worldPath, store)).world, watch: (listener) => modes.watch(listener),
      shards: { get: () => knobs.shardCapacity, set: (n) => (knobs.shardCapacity = n) },
    })),
  };
}

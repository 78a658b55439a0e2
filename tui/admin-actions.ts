import type { Status } from '../ops/status.js';
import type { SwitchResult } from '../dispatch/switch-barrier.js';
import { describePause } from '../dispatch/switch-pause.js';
import { MODE_KEYS } from '../modes/registry.js';

/** What the monitor asks of the server (the admin API; tests pass a fake that
 *  records calls). Rejects with a one-line Error carrying the server's message. */
export interface AdminClient {
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

/** One key's request: what to show while it runs, and how to turn the answer into a line. */
export interface AdminAction {
  label: string;
  run(admin: AdminClient): Promise<string>;
}

/** Players per room before newcomers go to a shard when `s` turns sharding on. */
export const SHARD_CAPACITY = 100;
export const DEFAULT_GUESTS = 1000;
/** Guests a raid sends against the boss (the `r` key). */
export const RAID_GUESTS = 300;

const MODES = new Map<string, string>(MODE_KEYS);

/** The action a key stands for, given the latest status; undefined for keys with no request (q, ?, p). */
export function keyAction(key: string, status: Status | undefined): AdminAction | undefined {
  const mode = MODES.get(key);
  if (mode) return dispatchAction(mode);
  switch (key) {
    case 's': return shardsAction((status?.shardCapacity ?? 0) > 0 ? 0 : SHARD_CAPACITY);
    case '+': return nodesAction('add');
    case '-': return nodesAction('remove');
    case 'k': return nodesAction('kill');
    default: return undefined;
  }
}

export function dispatchAction(spec: string): AdminAction {
  return {
    label: `switch to ${spec}`,
    run: async (admin) => {
      const r = await admin.call<{ modes: string } & SwitchResult>('POST', '/admin/dispatch', { spec });
      return `mode ${r.modes} (${describePause(r)})`;
    },
  };
}

export function shardsAction(capacity: number): AdminAction {
  return {
    label: capacity > 0 ? `sharding on (${capacity} per room)` : 'sharding off',
    run: async (admin) => {
      const r = await admin.call<{ shardCapacity: number }>('POST', '/admin/shards', { capacity });
      return r.shardCapacity > 0 ? `sharding on: newcomers beyond ${r.shardCapacity} per room go to a shard` : 'sharding off';
    },
  };
}

export function nodesAction(action: 'add' | 'remove' | 'kill'): AdminAction {
  const label = { add: 'add a node', remove: 'remove a node', kill: 'kill a node' }[action];
  return {
    label,
    run: async (admin) => {
      const r = await admin.call<{ nodes: string[]; message: string }>('POST', '/admin/nodes', { action });
      return `${r.message}; nodes: ${r.nodes.join(', ')}`;
    },
  };
}

export function partyAction(request: { guests: number; raid?: boolean } | { stop: true }): AdminAction {
  return {
    label: 'stop' in request ? 'stop the party' : request.raid ? `raid of ${request.guests}` : `party of ${request.guests}`,
    run: async (admin) => (await admin.call<{ message: string }>('POST', '/admin/party', request)).message,
  };
}

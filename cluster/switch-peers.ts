// What the cluster's live switch (cluster/cluster-switch.ts) says to the other gateways, naming no
// transport: over NATS, cluster/nats-switch-peers.ts.
import type { ModeSnapshot } from '../lattice/lattice.js';

/** A gateway asks the others to get ready for a switch (`modes`) or a world reload; before a
 *  reload, to `load` their world files (outside any hold: loading takes a while). */
export interface SwitchProposal {
  id: string;
  kind: 'modes' | 'reload' | 'load';
  /** The epoch the switch will commit (a reload keeps the current one). */
  epoch: number;
  from: string;
}

/** The initiator's word after the commit point (or instead of it). */
export interface SwitchDecision {
  id: string;
  outcome: 'commit' | 'abort';
  epoch: number;
  /** The committed table and shard capacity (`modes` commits). */
  table?: ModeSnapshot;
  shardCapacity?: number;
}

export interface SwitchPeerHandlers {
  /** Resolves once this gateway holds new turns and has drained its own; rejects with a one-line reason to refuse. */
  prepare(p: SwitchProposal): Promise<void>;
  decided(d: SwitchDecision): void;
}

/** The gateways a switch talks to, naming no transport. */
export interface SwitchPeers {
  /** Other live gateways' ids. */
  others(): string[];
  /** 'prepared' once the gateway is drained and holding; 'silent' when it did not answer in time
   *  (dead, paused, cut off: the switch goes on without it); rejects when it refused, with its reason. */
  prepare(gateway: string, p: SwitchProposal, timeoutMs: number): Promise<'prepared' | 'silent'>;
  decide(d: SwitchDecision): void;
  serve(handlers: SwitchPeerHandlers): void;
  close(): void;
}

/** A proposal as another process sent it, checked. */
export function checkProposal(p: unknown): SwitchProposal {
  const q = p as SwitchProposal | undefined;
  if (!q || typeof q.id !== 'string' || !['modes', 'reload', 'load'].includes(q.kind) || typeof q.epoch !== 'number') throw new Error('malformed switch proposal');
  return q;
}

/** A decision as another process sent it, if it reads as one. */
export function isDecision(d: unknown): d is SwitchDecision {
  const e = d as SwitchDecision | undefined;
  return !!e && typeof e.id === 'string' && typeof e.epoch === 'number';
}

import type { Json } from '../world/core/types.js';
import type { StateStore, Versioned } from '../store/state-store.js';
import type { ModeSnapshot } from '../lattice/lattice.js';

/** The store keys of the cluster's mode table and of the switch lease. */
export const MODES_KEY = 'cluster/modes';
export const LEASE_KEY = 'cluster/switch';

/** The cluster's mode table as stored: every gateway routes by it; `epoch` counts its versions. */
export interface ModeRecord {
  epoch: number;
  table: ModeSnapshot;
  /** Players per room shard in actor mode (0 = off): a setting of the cluster like the modes. */
  shardCapacity?: number;
  /** The gateway whose switch wrote it (or that created it), and when. */
  by: string;
  at: number;
}

/** Who is switching now, until when: a switch that outlives `deadline` (its gateway died) is void. */
export interface SwitchLease {
  id: string;
  by: string;
  deadline: number;
}

/** A lease held: the revision lets its holder give it back without touching a newer one. */
export interface HeldLease extends SwitchLease {
  revision: number;
}

/** The cluster's mode table and the switch lease, in the shared store (JetStream
 *  KV): created once by the first gateway (CAS create), adopted by every later
 *  one and by restarts; written only by a switch's initiator holding the lease,
 *  at epoch + 1 with a CAS on the revision it read (the switch's commit point). */
export class ClusterModes {
  constructor(private readonly store: StateStore) {}

  async read(): Promise<{ record: ModeRecord; revision: number } | undefined> {
    const v = await this.store.get(MODES_KEY);
    return v ? { record: checkRecord(v.value), revision: v.revision } : undefined;
  }

  /** The stored table, or `initial` stored as the cluster's first (epoch 1) if there is none. */
  async adoptOrCreate(initial: ModeSnapshot, shardCapacity: number, by: string): Promise<{ record: ModeRecord; revision: number; created: boolean }> {
    for (;;) {
      const found = await this.read();
      if (found) return { ...found, created: false };
      const record: ModeRecord = { epoch: 1, table: initial, shardCapacity, by, at: Date.now() };
      const r = await this.store.cas(MODES_KEY, record as unknown as Json, 0);
      if (r.ok) return { record, revision: r.revision, created: true };
      // Another gateway created it meanwhile: adopt theirs.
    }
  }

  /** The commit point of a switch: the new table at `epoch`, if nobody wrote since `revision`. */
  async commit(record: ModeRecord, revision: number): Promise<number | undefined> {
    const r = await this.store.cas(MODES_KEY, record as unknown as Json, revision);
    return r.ok ? r.revision : undefined;
  }

  /** Takes the switch lease, or says who holds it; a lease past its deadline is broken first. */
  async takeLease(lease: SwitchLease): Promise<{ held: HeldLease } | { holder: SwitchLease }> {
    for (;;) {
      const r = await this.store.cas(LEASE_KEY, lease as unknown as Json, 0);
      if (r.ok) return { held: { ...lease, revision: r.revision } };
      if (!r.current) continue; // given back meanwhile
      const holder = r.current.value as unknown as SwitchLease;
      if (typeof holder?.deadline === 'number' && holder.deadline > Date.now()) return { holder };
      await this.store.delete(LEASE_KEY, r.current.revision); // expired: its switch is void
    }
  }

  /** New values of the table as they are written (a KV watch), when the store can watch; else a no-op. */
  watch(listener: (value: Versioned | undefined) => void): () => void {
    return this.store.watch?.(MODES_KEY, listener) ?? (() => undefined);
  }

  async giveBack(lease: HeldLease): Promise<void> {
    await this.store.delete(LEASE_KEY, lease.revision);
  }
}

/** A stored record, checked: a damaged one is named rather than routed by. */
export function checkRecord(value: Json): ModeRecord {
  const r = value as unknown as ModeRecord;
  const t = r?.table;
  if (!r || typeof r.epoch !== 'number' || !t || typeof t.default !== 'string' || typeof t.kinds !== 'object' || typeof t.objects !== 'object') {
    throw new Error(`the cluster's mode table (${MODES_KEY}) is malformed: ${JSON.stringify(value).slice(0, 200)}`);
  }
  return r;
}

import { randomBytes } from 'node:crypto';
import type { Logger } from '../support/logger.js';
import type { ClusterModes, HeldLease, ModeRecord } from './cluster-modes.js';
import { checkRecord } from './cluster-modes.js';
import type { SwitchDecision, SwitchPeers, SwitchProposal } from './switch-peers.js';
import type { Versioned } from '../store/state-store.js';
import type { LoadedWorld } from '../dispatch/dispatcher.js';
import { formatModeTable, modesIn, tablesEqual, type ModeTable } from '../dispatch/mode-table.js';
import { tableFromSnapshot } from '../modes/parse-modes.js';
import { gatewayModeIn, listWords, SHARED_MODES } from '../modes/registry.js';
import { resolveChange, type ModeSwitching, type SwitchHost, type TableChange } from '../dispatch/mode-switching.js';
import type { SwitchResult } from '../dispatch/switch-barrier.js';

/** The bounds of the protocol (docs/architecture/live-switch.md, "The live switch across gateways"). */
export interface SwitchBounds {
  /** How long the initiator waits for a gateway to say it is drained before leaving it out. */
  prepareMs: number;
  /** How long a prepared gateway holds without a decision before it reads KV and resumes. */
  holdMs: number;
  /** How long the initiator of a reload waits for a gateway to load its world files. */
  loadMs: number;
  /** A switch lease outliving this (its initiator died) is broken by the next switch. */
  leaseMs: number;
  /** How long a switch waits for another one's lease before it is refused. */
  leaseWaitMs: number;
}

export const DEFAULT_SWITCH_BOUNDS: SwitchBounds = { prepareMs: 3_000, holdMs: 8_000, loadMs: 10_000, leaseMs: 15_000, leaseWaitMs: 20_000 };

export interface ClusterSwitchOptions {
  modes: ClusterModes;
  peers: SwitchPeers;
  /** This gateway's id. */
  gateway: string;
  /** This gateway's world files, read again for a cluster-wide reload. */
  loadWorld(): Promise<LoadedWorld>;
  /** The shard capacity this gateway's turns carry: the cluster's, set on every adoption. */
  shards: { get(): number; set(capacity: number): void };
  /** New values of the record (a KV watch), for a gateway that missed a decision. */
  watch?(listener: (value: Versioned | undefined) => void): () => void;
  log: Logger;
  bounds?: Partial<SwitchBounds>;
}

/** The one-line refusal of a mode whose objects live on the gateway (in-process) with several gateways. */
export function gatewayModeRefusal(mode: string, others: string[]): string {
  return `${mode} runs each object on the gateway that serves the turn, so with ${others.length + 1} gateways live (this one and ${others.join(', ')}) each would run its own copy: use ${listWords(SHARED_MODES, 'or')}`;
}

/** The cluster's live switch. The initiator takes the lease, asks every live
 *  gateway to prepare (hold, drain, hand back queued turns), holds and drains
 *  its own, then CAS-writes the table at epoch + 1 in KV: the commit point. It
 *  releases at the nodes (their fence rises to the new epoch), flips, resumes and
 *  publishes the decision; prepared gateways adopt it and resume. A gateway that
 *  does not answer within `prepareMs` is left out; one that hears no decision
 *  within `holdMs` reads KV and resumes at whatever epoch is there; one that
 *  missed everything learns from the KV watch, or from a node's stale refusal. */
export class ClusterSwitch implements ModeSwitching {
  private readonly bounds: SwitchBounds;
  /** Prepared switches waiting for their decision, by id. */
  private readonly waiting = new Map<string, (d: SwitchDecision | undefined) => void>();
  /** The newest epoch this gateway knows of (adopted, or being adopted). */
  private known: number;
  private refreshing: Promise<boolean> | undefined;
  /** The world files this gateway loaded for a coming reload, by its id. */
  private loaded: { id: string; world: LoadedWorld } | undefined;
  private readonly stopWatch: () => void;

  constructor(private readonly host: SwitchHost, private readonly opts: ClusterSwitchOptions) {
    this.bounds = { ...DEFAULT_SWITCH_BOUNDS, ...opts.bounds };
    this.known = host.epoch;
    opts.peers.serve({ prepare: (p) => this.prepare(p), decided: (d) => this.decided(d) });
    this.stopWatch = opts.watch?.((v) => this.watched(v)) ?? (() => undefined);
  }

  /** Sharding on or off for the whole cluster: a switch of the table to itself with a new capacity. */
  setShards(capacity: number): Promise<SwitchResult> {
    return this.switchTo((current) => current, capacity);
  }

  async switchTo(change: TableChange, shardCapacity?: number): Promise<SwitchResult> {
    // A plain table is checked before the lease; a change, once it is applied to the stored table.
    if (typeof change !== 'function') this.checkTable(change);
    let table: ModeTable;
    return this.initiate('modes', (found) => {
      const stored = tableFromSnapshot(found.record.table);
      table = resolveChange(change, stored);
      this.checkTable(table);
      // Asking for what is already in force changes nothing: no hold, no new epoch (two auto-promoters agreeing, say).
      return !tablesEqual(table, stored) || (shardCapacity !== undefined && shardCapacity !== found.record.shardCapacity);
    }, async (id, found, prepared, committed) => {
      const epoch = found.record.epoch + 1;
      const shards = shardCapacity ?? found.record.shardCapacity ?? this.opts.shards.get();
      const record: ModeRecord = { epoch, table, shardCapacity: shards, by: this.opts.gateway, at: Date.now() };
      const revision = await this.opts.modes.commit(record, found.revision); // the commit point
      if (revision === undefined) throw new Error('the cluster\'s mode table changed during the switch; nothing changed: try again');
      committed();
      // The others release and resume as this one does: the nodes apply the epoch's release once, from whoever is first.
      this.opts.peers.decide({ id, outcome: 'commit', epoch, table, shardCapacity: shards });
      await this.adoptIfNewer(table, epoch, 'own switch', shards);
      this.opts.log.info('cluster switched', { epoch, modes: formatModeTable(table), shardCapacity: shards, gateways: prepared.length + 1, prepared: prepared.join(',') || undefined });
    });
  }

  private checkTable(table: ModeTable): void {
    this.host.check(table);
    const others = this.opts.peers.others();
    const local = gatewayModeIn(modesIn(table));
    if (others.length && local) throw new Error(gatewayModeRefusal(local, others));
  }

  async reload(world: LoadedWorld): Promise<SwitchResult> {
    return this.initiate('reload', () => true, async (id, _found, _prepared, committed) => {
      committed(); // the decision is the commit point of a reload: nothing is written to KV
      this.opts.peers.decide({ id, outcome: 'commit', epoch: this.host.epoch });
      await this.host.applyWorld(world);
    });
  }

  /** A stale refusal from a node: adopt the stored table if it is newer. */
  refresh(): Promise<boolean> {
    return (this.refreshing ??= this.catchUp(false, 'stale turn').finally(() => (this.refreshing = undefined)));
  }

  close(): void {
    this.stopWatch();
    this.opts.peers.close();
    for (const w of this.waiting.values()) w(undefined);
  }

  /** The initiator's side: lease, prepare the others, hold here, run `commit` with everyone drained. */
  private async initiate(kind: SwitchProposal['kind'], begin: (found: { record: ModeRecord; revision: number }) => boolean, commit: (id: string, found: { record: ModeRecord; revision: number }, prepared: string[], committed: () => void) => Promise<void>): Promise<SwitchResult> {
    const id = `${this.opts.gateway}-${randomBytes(4).toString('hex')}`;
    const lease = await this.lease(id);
    let decided = false;
    try {
      await this.catchUp(false, 'store'); // a switch this gateway has not heard of yet: routes by it first
      const found = await this.opts.modes.read();
      if (!found) throw new Error('the cluster has no mode table in its store');
      if (!begin(found)) {
        decided = true;
        return { pausedMs: 0, held: 0, inFlight: 0, drainMs: 0 };
      }
      const proposal: SwitchProposal = { id, kind, epoch: kind === 'modes' ? found.record.epoch + 1 : found.record.epoch, from: this.opts.gateway };
      const others = this.opts.peers.others();
      if (kind === 'reload') await this.loadEverywhere(others, { ...proposal, kind: 'load' }); // before anyone holds
      // The others drain while this gateway does: the pause is the slowest drain, not their sum.
      const answers = Promise.all(others.map((g) => this.opts.peers.prepare(g, proposal, this.bounds.prepareMs).then(
        (r) => ({ g, r, why: '' }),
        (err: Error) => ({ g, r: 'refused' as const, why: err.message }),
      )));
      return await this.host.hold(async () => {
        const replies = await answers;
        const refused = replies.find((a) => a.r === 'refused');
        if (refused) throw new Error(`gateway ${refused.g} refused the ${kind === 'modes' ? 'switch' : 'reload'}: ${refused.why}`);
        const silent = replies.filter((a) => a.r === 'silent').map((a) => a.g);
        if (silent.length) this.opts.log.warn('switch goes on without gateways', { id, gateways: silent.join(','), why: `no answer within ${this.bounds.prepareMs} ms` });
        await commit(id, found, replies.filter((a) => a.r === 'prepared').map((a) => a.g), () => (decided = true));
      }, kind === 'modes');
    } finally {
      if (!decided) this.opts.peers.decide({ id, outcome: 'abort', epoch: this.host.epoch });
      await this.opts.modes.giveBack(lease).catch((err: Error) => this.opts.log.warn('switch lease not given back', { id, why: err.message }));
    }
  }

  /** Every other gateway loads its world files (a broken world refuses the reload; a silent gateway is left out). */
  private async loadEverywhere(others: string[], p: SwitchProposal): Promise<void> {
    const answers = await Promise.all(others.map((g) => this.opts.peers.prepare(g, p, this.bounds.loadMs).then(() => '', (err: Error) => `gateway ${g} refused the reload: ${err.message}`)));
    const refusal = answers.find((a) => a);
    if (refusal) throw new Error(refusal);
  }

  /** Takes the switch lease, waiting a bounded time for a switch already running elsewhere. */
  private async lease(id: string): Promise<HeldLease> {
    const until = Date.now() + this.bounds.leaseWaitMs;
    for (let wait = 50; ; wait = Math.min(wait * 2, 500)) {
      const r = await this.opts.modes.takeLease({ id, by: this.opts.gateway, deadline: Date.now() + this.bounds.leaseMs });
      if ('held' in r) return r.held;
      if (Date.now() + wait > until) {
        throw new Error(`another switch is running (started on gateway ${r.holder.by}); nothing changed: try again in a moment`);
      }
      await new Promise((res) => setTimeout(res, wait));
    }
  }

  /** A prepared gateway's side: answer once drained, hold until the decision (or the bound), resume. */
  private async prepare(p: SwitchProposal): Promise<void> {
    if (p.from === this.opts.gateway) throw new Error('a gateway does not prepare for its own switch');
    if (p.kind === 'load') {
      this.loaded = { id: p.id, world: await this.opts.loadWorld() }; // broken files: refused, with the reason
      return;
    }
    const world = p.kind === 'reload' ? (this.loaded?.id === p.id ? this.loaded.world : await this.opts.loadWorld()) : undefined;
    this.loaded = undefined;
    return new Promise<void>((drained, refuse) => {
      const decision = new Promise<SwitchDecision | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), this.bounds.holdMs);
        this.waiting.set(p.id, (d) => {
          clearTimeout(timer);
          resolve(d);
        });
      });
      this.host.hold(async () => {
        this.opts.log.info('switch prepared', { id: p.id, from: p.from, kind: p.kind, epoch: p.epoch });
        drained();
        const d = await decision;
        this.waiting.delete(p.id);
        if (!d) {
          this.opts.log.warn('switch decision not heard', { id: p.id, from: p.from, heldMs: this.bounds.holdMs, then: 'reading the stored table' });
          if (p.kind === 'modes') await this.catchUp(true, 'store');
        } else if (d.outcome === 'commit') {
          if (p.kind === 'modes' && d.table) await this.adoptIfNewer(tableFromSnapshot(d.table), d.epoch, 'decision', d.shardCapacity);
          if (world) await this.host.applyWorld(world);
        }
      }, p.kind === 'modes').catch((err: Error) => {
        this.opts.log.error('switch hold failed', { id: p.id, why: err.message });
        refuse(err);
      });
    });
  }

  private decided(d: SwitchDecision): void {
    const waiting = this.waiting.get(d.id);
    if (waiting) return waiting(d);
    // Left out (did not answer in time) or started meanwhile: adopt the committed table now.
    if (d.outcome === 'commit' && d.table && d.epoch > this.known) void this.adoptInHold(tableFromSnapshot(d.table), d.epoch, 'decision', d.shardCapacity);
  }

  private watched(v: Versioned | undefined): void {
    if (!v) return;
    let record: ModeRecord;
    try {
      record = checkRecord(v.value);
    } catch (err) {
      return this.opts.log.error('cluster mode table unreadable', { why: (err as Error).message });
    }
    if (record.epoch <= this.known) return;
    // A prepared gateway whose initiator died after the commit point: the store is the decision.
    if (this.waiting.size) {
      for (const [id, w] of this.waiting) w({ id, outcome: 'commit', epoch: record.epoch, table: record.table, shardCapacity: record.shardCapacity });
      return;
    }
    void this.adoptInHold(tableFromSnapshot(record.table), record.epoch, 'watch', record.shardCapacity);
  }

  /** Reads the stored table and adopts it if newer; `inHold` when the caller already holds turns. */
  private async catchUp(inHold: boolean, via: string): Promise<boolean> {
    const found = await this.opts.modes.read();
    if (!found || found.record.epoch <= this.host.epoch) return false;
    const { record } = found;
    const table = tableFromSnapshot(record.table);
    if (inHold) await this.adoptIfNewer(table, record.epoch, via, record.shardCapacity);
    else await this.adoptInHold(table, record.epoch, via, record.shardCapacity);
    return true;
  }

  private async adoptInHold(table: ModeTable, epoch: number, via: string, shardCapacity: number | undefined): Promise<void> {
    this.known = Math.max(this.known, epoch);
    try {
      await this.host.hold(() => this.adoptIfNewer(table, epoch, via, shardCapacity), true);
    } catch (err) {
      this.opts.log.error('adopting the cluster mode table failed', { epoch, why: (err as Error).message });
    }
  }

  /** `via`: how this gateway learnt of the table (the decision, the KV watch, a node's stale refusal, a read of the store). */
  private async adoptIfNewer(table: ModeTable, epoch: number, via: string, shardCapacity: number | undefined): Promise<void> {
    if (epoch <= this.host.epoch) return;
    this.known = Math.max(this.known, epoch);
    const from = this.host.epoch;
    if (shardCapacity !== undefined) this.opts.shards.set(shardCapacity); // before the turns resume with it
    await this.host.adopt(table, epoch);
    if (via !== 'own switch') this.opts.log.info('mode table adopted', { from, epoch, modes: formatModeTable(table), shardCapacity, via });
  }
}

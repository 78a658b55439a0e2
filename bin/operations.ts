import type { Ref } from '../world/core/types.js';
import type { Engine } from '../dispatch/engine.js';
import { formatModeTable } from '../dispatch/mode-table.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import type { StatusCollector } from '../ops/status-collector.js';
import type { Status } from '../ops/status.js';
import type { SwitchResult } from '../dispatch/switch-barrier.js';
import { describePause } from '../dispatch/switch-pause.js';
import type { Logger } from '../support/logger.js';
import type { Lattice } from '../lattice/lattice.js';
import type { WizardCommands } from '../portal/session-host.js';
import type { AdminOps } from '../portal/admin/admin-api.js';
import type { CertificateFacts, ServingCertificate } from '../portal/serving-certificate.js';
import { firstLines, WorldLoadError } from './live-world.js';
import type { World } from '../world/core/world.js';
import { loadBuiltWorld } from './built-world.js';
import { Building } from './building.js';
import type { LineInput } from '../portal/session-host.js';
import type { PartyRunner } from './party.js';
import type { StateStore } from '../store/state-store.js';
import { takeBackup } from './backup.js';
import { entryLine, headerLine } from './backup-file.js';
import type { UpgradeOutcome } from '../portal/handover.js';

/** Runtime knobs changed while the server runs. */
export interface Knobs {
  shardCapacity: number;
  autoPromote: boolean;
}

export interface OperationsDeps {
  engine: Engine;
  log: Logger;
  worldPath: string;
  /** The store backups are taken from. */
  store: StateStore;
  collector: StatusCollector;
  knobs: Knobs;
  lattice?: Lattice;
  party?: PartyRunner;
  shutdown(): void;
  /** The certificate of the TLS ports (`--tls-cert`), if any. */
  tls?: ServingCertificate;
  /** With gateways behind the same TLS ports (`--gateways N`): reloads the certificate on every one of them
   *  (bin/shared-tls-reload.ts), given the reload of this one. */
  tlsEverywhere?: (reloadHere: () => CertificateFacts) => () => Promise<CertificateFacts>;
  /** With several gateways, sharding is the cluster's: set it through the cluster switch. */
  clusterShards?: (capacity: number) => Promise<SwitchResult>;
  /** `mud upgrade`: a successor process from the code on disk takes every connection over (bin/upgrade.ts). */
  upgrade?: (by: string) => Promise<UpgradeOutcome>;
  /** The room a player of this gateway stands in (where a wizard builds). */
  roomOf?: (player: Ref) => Ref | undefined;
}

/** The server's operations, one implementation behind every way to ask for
 *  them: a wizard's `@` commands, the admin API, the monitor's keys. */
export class Operations implements WizardCommands, AdminOps {
  private readonly building: Building;
  private readonly tlsEverywhere: (() => Promise<CertificateFacts>) | undefined;

  constructor(private readonly deps: OperationsDeps) {
    this.tlsEverywhere = deps.tls && deps.tlsEverywhere?.(() => this.reloadTlsHere());
    this.building = new Building({
      store: deps.store, worldPath: deps.worldPath, engine: deps.engine, log: deps.log, reload: (loaded) => this.reload(loaded), roomOf: (p) => deps.roomOf?.(p),
    });
  }

  status(): Status {
    return this.deps.collector.latest();
  }

  subscribe(listener: (s: Status) => void): () => void {
    return this.deps.collector.subscribe(listener);
  }

  /** Re-reads the world files (with what wizards built and have not saved, docs/WORLD-FILES.md
   *  "Building in the game"); a broken world is refused and the running one stays.
   *  `revision`: that of the building edits it loaded. `loaded`: the world so read already (a building
   *  command's checked result, stored as that revision), made live without reading it again. */
  async reload(loaded?: { world: World; revision: number }): Promise<{ ok: true; pausedMs: number; revision: number } | { ok: false; errors: string[] }> {
    let world, revision;
    try {
      ({ world, revision } = loaded ?? await loadBuiltWorld(this.deps.worldPath, this.deps.store));
    } catch (err) {
      const errors = err instanceof WorldLoadError ? err.lines : [String((err as Error).message)];
      this.deps.log.warn('reload refused', { path: this.deps.worldPath, errors: errors.length });
      return { ok: false, errors };
    }
    let pausedMs: number;
    try {
      ({ pausedMs } = await this.deps.engine.setWorld(world));
    } catch (err) { // another gateway could not load its world files: nobody reloaded
      this.deps.log.warn('reload refused', { path: this.deps.worldPath, why: (err as Error).message });
      return { ok: false, errors: [(err as Error).message] };
    }
    this.deps.log.info('world reloaded', { path: this.deps.worldPath, pausedMs: round(pausedMs) });
    return { ok: true, pausedMs, revision };
  }

  /** Reads the TLS certificate and key files again, on every gateway behind the same ports
   *  (`mud reload --tls`): new handshakes get the new pair, open connections keep theirs.
   *  Rejects with a one-line Error (the old pair stays) if they do not load. */
  async reloadTls(): Promise<CertificateFacts> {
    return this.tlsEverywhere ? this.tlsEverywhere() : this.reloadTlsHere();
  }

  /** The same on this gateway alone (SIGHUP, which the primary of `--gateways N` sends each of them). */
  reloadTlsHere(): CertificateFacts {
    const tls = this.deps.tls;
    if (!tls) throw new Error('this server has no TLS port: start it with --tls-cert, --tls-key and --telnet-tls-port or --https-port');
    try {
      const facts = tls.reload();
      this.deps.log.info('tls certificate reloaded', { ...facts });
      return facts;
    } catch (err) {
      this.deps.log.warn('tls reload refused', { why: (err as Error).message, action: 'serving the certificate loaded before' });
      throw err;
    }
  }

  /** Switches dispatch modes live; throws a one-line Error on a bad spec. */
  async dispatch(spec: string, by: string): Promise<{ modes: string; epoch: number } & SwitchResult> {
    parseModeSpec(spec, this.deps.engine.modes); // a bad spec is refused here, before any switch starts
    const before = formatModeTable(this.deps.engine.modes);
    // Applied to the table current when the switch runs: with several gateways, the cluster's.
    const { pausedMs, held, inFlight, drainMs } = await this.deps.engine.switchTo((current) => parseModeSpec(spec, current));
    const modes = formatModeTable(this.deps.engine.modes);
    this.deps.log.info('mode switched', { from: before, to: modes, epoch: this.deps.engine.epoch, pausedMs: round(pausedMs), held, inFlight, drainMs: round(drainMs), by });
    return { modes, epoch: this.deps.engine.epoch, pausedMs: round(pausedMs), held, inFlight, drainMs: round(drainMs) };
  }

  async nodes(action: string, node?: string): Promise<{ nodes: string[]; message: string }> {
    const lattice = this.deps.lattice;
    if (!lattice) throw new Error('this server runs no nodes (started with --nodes 0)');
    let message: string;
    if (action === 'add') message = `node ${await lattice.addNode()} added`;
    else if (action === 'remove' || action === 'kill') {
      const target = node ?? lattice.nodes().at(-1);
      if (!target) throw new Error('there is no node to remove');
      if (action === 'remove' && lattice.nodes().length <= 1) throw new Error('refusing to stop the last node; add one first');
      await lattice.removeNode(target, action === 'kill' ? 'kill' : 'stop');
      message = action === 'kill' ? `node ${target} killed (its replacement is starting)` : `node ${target} stopped`;
    } else throw new Error(`unknown nodes action "${action}"; expected add, remove or kill`);
    this.deps.log.info('nodes changed', { action, node: node ?? undefined, result: message });
    return { nodes: lattice.nodes(), message };
  }

  async shards(capacity: number): Promise<{ shardCapacity: number }> {
    if (this.deps.clusterShards) await this.deps.clusterShards(capacity); // every gateway's knob, at a new epoch
    else this.deps.knobs.shardCapacity = capacity;
    this.deps.log.info('sharding', { shardCapacity: capacity, state: capacity > 0 ? 'on' : 'off' });
    return { shardCapacity: capacity };
  }

  async backup(): Promise<{ header: string; lines: Iterable<string> }> {
    const started = performance.now();
    const { header, entries } = await takeBackup(this.deps.store, this.deps.engine);
    this.deps.log.info('backup taken', { keys: header.keys, cut: header.cut, ms: round(performance.now() - started) });
    return { header: headerLine(header), lines: (function* () { for (const e of entries) yield entryLine(e); })() };
  }

  async party(request: { guests?: number; room?: string; rate?: number; stop?: boolean; raid?: boolean }): Promise<{ message: string }> {
    if (!this.deps.party) throw new Error('parties are not available on this server');
    return this.deps.party.handle(request);
  }

  /** Refused at once when this server cannot be upgraded in place; else the outcome, once known. */
  async upgrade(by: string): Promise<UpgradeOutcome> {
    if (!this.deps.upgrade) throw new Error('this server cannot be upgraded in place: `mud upgrade` works on a gateway started by `mud serve`');
    return this.deps.upgrade(by);
  }

  async wizardCommand(verb: string, rest: string, wizard: Ref): Promise<string | { text: string; input: LineInput }> {
    if (Building.handles(verb)) return this.building.command(verb, rest, wizard);
    switch (verb) {
      case '@upgrade': {
        if (!this.deps.upgrade) return 'This server cannot be upgraded in place.';
        // The wizard's own session is handed over too, so the outcome cannot be this command's answer:
        // the successor says it arrived; the old process, if it goes on, says why.
        void this.deps.upgrade(wizard).then((r) => r.ok && r.leave?.());
        return 'Upgrading: a new server process is starting from the code on disk.';
      }
      case '@reload': {
        const r = await this.reload();
        if (r.ok) return `World reloaded (players paused ${round(r.pausedMs)} ms).`;
        return `Reload refused; the world stays as it was:\n${firstLines(r.errors, ': mud world check lists them all')}`;
      }
      case '@dispatch': {
        if (!rest) return `Dispatch: ${formatModeTable(this.deps.engine.modes)}`;
        try {
          const r = await this.dispatch(rest, wizard);
          return `Dispatch now: ${r.modes} (${describePause(r)}).`;
        } catch (err) {
          return `Dispatch unchanged: ${(err as Error).message}`;
        }
      }
      case '@shutdown':
        setTimeout(() => this.deps.shutdown(), 50);
        return 'Shutting down: everything is being saved.';
      default:
        return `Unknown wizard command ${verb}.`;
    }
  }

  async close(): Promise<void> {
    await this.deps.party?.stop();
  }
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

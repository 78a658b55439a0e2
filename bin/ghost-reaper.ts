import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import type { Gateways } from '../cluster/gateways.js';
import type { Engine } from '../dispatch/engine.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import { heldByNoOne, isOnline, SESSION_PREFIX, type SessionKey } from '../portal/cluster-sessions.js';
import { recoverStrandedItems } from '../ops/recovery.js';
import { retryUntilDone } from '../support/retry-until-done.js';

/** Disconnects at once, so a thousand ghosts leave within the bound, not one by one. */
const AT_ONCE = 32;
/** A disconnect that could not run (no node up yet, say) is tried again this much later. */
const RETRY_MS = 5_000;

export interface GhostReaperOptions {
  store: StateStore;
  engine: Engine;
  gateways: Gateways;
  world: () => WorldDefinition;
  log: Logger;
}

/** No ghosts: the players of a gateway that died stay in the world, standing in
 *  their rooms, until someone takes them out. The live gateway that rendezvous
 *  hashing names for the dead one (every gateway computes the same) runs a
 *  `disconnect` for each session key the dead gateway held, as a logout would,
 *  then delivers again any item transfer the crash left between two objects. */
export class GhostReaper {
  private stop: (() => void) | undefined;
  private retry: NodeJS.Timeout | undefined;
  /** Aborted at close: a reap waiting to be tried again is not. */
  private readonly closing = new AbortController();
  /** The reaps under way: a shutdown waits for them before the store and nodes go. */
  private readonly running = new Set<Promise<unknown>>();

  constructor(private readonly o: GhostReaperOptions) {}

  /** Reaps a gateway that died (timed out, or came back as a new process), when this
   *  gateway is its owner. One that stopped took its players out itself. */
  start(): void {
    this.stop = this.o.gateways.onChange((e) => {
      if (e.type !== 'left' || e.reason === 'stopped' || this.o.gateways.owner(e.gateway) !== this.o.gateways.id) return;
      // The store may be out of reach for a while (the cut that made the gateway leave, a JetStream election): tried until done.
      const run = retryUntilDone(() => this.reap((key) => key.gateway === e.gateway, { gateway: e.gateway, reason: e.reason ?? 'left' }), {
        signal: this.closing.signal,
        onFailure: (err, attempt, nextMs) => this.o.log.warn('reap failed', { gateway: e.gateway, attempt, why: err instanceof Error ? err.message : String(err), retryInMs: nextMs }),
      }).catch(() => undefined);
      this.running.add(run);
      void run.finally(() => this.running.delete(run));
    });
  }

  /** At start: the keys of every gateway process that is gone (this gateway's own
   *  last life included). Replaces the room sweep of a single gateway. */
  reapStale(): Promise<number> {
    return this.reap(() => true, { gateway: 'any gone', reason: 'start' });
  }

  /** Reaps no more, and resolves once the reaps under way are done. */
  async close(): Promise<void> {
    this.stop?.();
    this.closing.abort();
    clearTimeout(this.retry);
    await Promise.allSettled([...this.running]);
  }

  /** Takes out of the world the players of every stale key `which` picks. Each
   *  key is first marked as being reaped (a CAS: a login that claimed it first
   *  wins and keeps its player), then the player disconnects, then the key goes. */
  private async reap(which: (key: SessionKey) => boolean, why: { gateway: string; reason: string }): Promise<number> {
    const started = performance.now();
    const { store, engine, gateways, log } = this.o;
    const stale = (await store.scan(SESSION_PREFIX)).filter((e) => {
      const key = e.value as unknown as SessionKey;
      return typeof key?.gateway === 'string' && which(key) && heldByNoOne(key, gateways) && (!key.reaping || !gateways.isLive(key.reaping) || key.reaping === gateways.id);
    });
    let reaped = 0;
    let unfinished = 0;
    const one = async (e: (typeof stale)[number]): Promise<void> => {
      const key = e.value as unknown as SessionKey;
      // Heard again since the scan (it was cut off, not dead): its players play on there.
      if (!heldByNoOne(key, gateways)) return;
      const marked = key.reaping === gateways.id ? { ok: true as const, revision: e.revision } : await store.cas(e.key, { ...key, reaping: gateways.id }, e.revision);
      if (!marked.ok) return; // logged in again meanwhile: that login has the player now
      const player = `player/${e.key.slice(SESSION_PREFIX.length)}`;
      await engine.disconnect(player);
      // The engine tells a failed turn to the player, not to its caller: the record says whether they left.
      if (await isOnline(store, player)) {
        unfinished += 1; // the key stays, marked by this gateway, for the retry
        return;
      }
      await store.delete(e.key, marked.revision);
      reaped += 1;
    };
    for (let i = 0; i < stale.length; i += AT_ONCE) await Promise.all(stale.slice(i, i + AT_ONCE).map(one));
    if (unfinished) this.again(unfinished);
    if (reaped || why.reason !== 'start') {
      log.info('gateway reaped', { gateway: why.gateway, reason: why.reason, players: reaped, ms: Math.round(performance.now() - started) });
      // It may have died between a sender's commit and the delivery; receivers apply a message once, so this cannot duplicate.
      await recoverStrandedItems(store, this.o.world(), engine, log);
    }
    return reaped;
  }

  /** Some disconnects did not run (no node to run them yet): this gateway's marked keys are tried again. */
  private again(unfinished: number): void {
    this.o.log.warn('reap incomplete', { players: unfinished, retryInMs: RETRY_MS });
    if (this.retry) return;
    this.retry = setTimeout(() => {
      this.retry = undefined;
      void this.reap((key) => key.reaping === this.o.gateways.id, { gateway: 'unfinished', reason: 'retry' }).catch(() => this.again(unfinished));
    }, RETRY_MS);
    this.retry.unref();
  }
}

import type { Ref } from '../world/core/types.js';
import { refName } from '../world/core/types.js';
import type { StateStore } from '../store/state-store.js';
import type { Logger } from '../support/logger.js';
import type { GatewayRequests } from '../cluster/gateway-bus.js';
import type { LocationIndex } from '../dispatch/location-index.js';
import type { SessionRegistry, Attachable } from './session-registry.js';

/** `session/<player>` in the store: which gateway holds the player's session.
 *  Written at login, deleted at logout; `reaping` names the gateway that is
 *  taking a dead gateway's player out of the world. */
export interface SessionKey {
  gateway: string;
  instance: string;
  since: number;
  reaping?: string;
}

export const SESSION_PREFIX = 'session/';
export const sessionKey = (player: Ref): string => `${SESSION_PREFIX}${refName(player)}`;

/** What the sessions of the cluster need to know of the gateways. */
export interface LiveGateways {
  readonly id: string;
  readonly instance: string;
  /** Live gateways' ids, this one included. */
  ids(): string[];
  others(): Array<{ id: string; instance: string }>;
}

/** Is the gateway process that wrote this key gone (dead, or restarted since)? */
export function heldByNoOne(key: SessionKey, gateways: LiveGateways): boolean {
  if (key.gateway === gateways.id) return key.instance !== gateways.instance;
  return !gateways.others().some((g) => g.id === key.gateway && g.instance === key.instance);
}

export interface WhoRow {
  player: Ref;
  room: Ref | null;
  /** The connection dropped and the character stays a while (portal/session-leave.ts). */
  linkDead?: boolean;
  /** Away from the keyboard (`afk`). */
  away?: boolean;
}

export interface ClusterWho {
  rows: WhoRow[];
  /** Gateways that did not answer in time: their players are missing from `rows`. */
  missing: string[];
}

export interface ClusterSessionsOptions {
  store: StateStore;
  requests: GatewayRequests;
  gateways: LiveGateways;
  registry: SessionRegistry<Attachable>;
  locations: LocationIndex;
  /** Where a player taken over from another gateway stands (see ClusterOutlet.adopt). */
  adopt(player: Ref, room: Ref | null): void;
  log: Logger;
}

/** A login refused because the character is in use on another gateway and may not be taken over (a guest). */
export class SessionInUseError extends Error {
  override readonly name = 'SessionInUseError';
}

/** How long a takeover and a `who` wait for another gateway before counting it gone or missing. */
const TAKEOVER_TIMEOUT_MS = 2_000;
const WHO_TIMEOUT_MS = 750;
/** A key being reaped is waited for this long at most (the reaper may have died too). */
const REAP_WAIT_MS = 10_000;
const CLAIM_TRIES = 20;
/** A player put back in the world after a cut: tries, and the wait between them. */
const ENTER_TRIES = 20;
const ENTER_RETRY_MS = 250;

/** Is the player in the world, by its record (`online`)? */
export async function isOnline(store: StateStore, player: Ref): Promise<boolean> {
  const record = (await store.get(player))?.value as { state?: { online?: boolean } } | undefined;
  return record?.state?.online === true;
}

/** Sessions across gateways: one session per player in the whole cluster,
 *  recorded in the store. A login on this gateway claims the player's key; if
 *  another live gateway holds the session it is asked to hand it over (its
 *  socket is told and closed, the player stays in the world). `who` asks every
 *  live gateway for its players (docs/architecture/many-gateways.md). */
export class ClusterSessions {
  /** Players whose logout is under way here: a takeover waits for it to finish. */
  private readonly leaving = new Map<Ref, Promise<void>>();

  constructor(private readonly o: ClusterSessionsOptions) {
    o.requests.serve('takeover', (body) => this.handOver(body));
    o.requests.serve('who', () => this.localWho());
  }

  /** Makes this gateway the player's in the cluster. Resolves true when a session
   *  on another gateway was taken over (the player is in the world already).
   *  `takeover: false` (guests: one connection per name, never a takeover) refuses
   *  with a SessionInUseError instead. */
  async claim(player: Ref, opts: { takeover: boolean } = { takeover: true }): Promise<boolean> {
    const key = sessionKey(player);
    const mine: SessionKey = { gateway: this.o.gateways.id, instance: this.o.gateways.instance, since: Date.now() };
    const waitUntil = Date.now() + REAP_WAIT_MS;
    for (let attempt = 0; attempt < CLAIM_TRIES; attempt++) {
      const current = await this.o.store.get(key);
      const held = current?.value as SessionKey | undefined;
      let tookOver = false;
      if (held?.reaping && this.o.gateways.ids().includes(held.reaping) && Date.now() < waitUntil) {
        // Its gateway died and the player is being taken out of the world: enter after that, not during.
        await sleep(100);
        attempt -= 1;
        continue;
      }
      if (held && !held.reaping && held.gateway !== this.o.gateways.id && this.o.gateways.ids().includes(held.gateway)) {
        if (!opts.takeover) {
          // Refused only if that gateway really has the session: a dead one (not yet timed out) does not answer.
          if (await this.holds(held.gateway, player)) throw new SessionInUseError(`${refName(player)} is already here (on gateway ${held.gateway}); choose another name.`);
        } else tookOver = await this.takeFrom(held.gateway, player);
      }
      const wrote = await this.o.store.cas(key, { ...mine }, current?.revision ?? 0);
      if (wrote.ok) return tookOver;
    }
    throw new Error(`could not claim ${player}'s session: it changed hands ${CLAIM_TRIES} times`);
  }

  /** A logout here: the player leaves the world (`disconnect`) unless their session
   *  has moved to another gateway meanwhile, then the key goes. */
  async leave(player: Ref, disconnect: () => Promise<unknown>): Promise<void> {
    const run = this.leaveNow(player, disconnect);
    this.leaving.set(player, run);
    try {
      await run;
    } finally {
      if (this.leaving.get(player) === run) this.leaving.delete(player);
    }
  }

  /** Resolves when every logout under way here is done (shutdown waits for it before the store closes). */
  async settled(): Promise<void> {
    while (this.leaving.size) await Promise.allSettled([...this.leaving.values()]);
  }

  /** After this gateway was cut off: its sessions whose key no longer names this gateway process (the
   *  others counted it gone and took the player out of the world) are claimed again and the player
   *  enters again (`enter`: a `connect` between the player's commands, Session.reenter); one whose player logged in on another live gateway meanwhile
   *  is closed, as a takeover would. Keys being reaped are waited for (claim). */
  async reclaim(enter: (player: Ref) => Promise<unknown>): Promise<{ kept: number; entered: number; closed: number; failed: number }> {
    const counts = { kept: 0, entered: 0, closed: 0, failed: 0 };
    await Promise.all(this.o.registry.players().map(async (player) => {
      const held = (await this.o.store.get(sessionKey(player)))?.value as SessionKey | undefined;
      if (held && !held.reaping && held.gateway === this.o.gateways.id && held.instance === this.o.gateways.instance) {
        counts.kept += 1;
        return;
      }
      if (held && !held.reaping && held.gateway !== this.o.gateways.id && this.o.gateways.ids().includes(held.gateway)) {
        if (this.o.registry.takeOver(player)) counts.closed += 1;
        return;
      }
      await this.claim(player, { takeover: false });
      // The engine tells a failed turn to the player, not to its caller (a node still finding its feet
      // after the cut, say): the record says whether they are back. Logged out here meanwhile: not ours.
      for (let tries = 0; this.o.registry.has(player) && tries < ENTER_TRIES; tries++) {
        await enter(player);
        if (await isOnline(this.o.store, player)) {
          counts.entered += 1;
          return;
        }
        await sleep(ENTER_RETRY_MS);
      }
      if (this.o.registry.has(player)) counts.failed += 1;
    }));
    return counts;
  }

  /** Everyone online in the cluster once, with where they are. */
  async who(): Promise<ClusterWho> {
    const others = this.o.gateways.ids().filter((id) => id !== this.o.gateways.id);
    const answers = await Promise.all(others.map((id) => this.o.requests.ask<unknown>(id, 'who', {}, WHO_TIMEOUT_MS).then((r) => ({ id, rows: whoRows(r) }), () => ({ id, rows: null }))));
    const byPlayer = new Map<Ref, WhoRow>();
    const missing: string[] = [];
    for (const { id, rows } of [{ id: this.o.gateways.id, rows: this.localWho() }, ...answers]) {
      if (!rows) missing.push(id);
      // A player mid-takeover may be listed by two gateways: once is enough, the new connection's if it shows.
      for (const r of rows ?? []) {
        const had = byPlayer.get(r.player);
        if (!had || (!had.room && r.room) || (had.linkDead && !r.linkDead)) byPlayer.set(r.player, r);
      }
    }
    return { rows: [...byPlayer.values()].sort((a, b) => a.player.localeCompare(b.player)), missing };
  }

  private async leaveNow(player: Ref, disconnect: () => Promise<unknown>): Promise<void> {
    const key = sessionKey(player);
    const current = await this.o.store.get(key);
    const held = current?.value as SessionKey | undefined;
    if (held && (held.gateway !== this.o.gateways.id || held.instance !== this.o.gateways.instance)) return; // plays on elsewhere
    await disconnect();
    if (current) await this.o.store.delete(key, current.revision);
  }

  /** Asks the gateway holding the player's session to hand it over; true if it had one. */
  private async takeFrom(gateway: string, player: Ref): Promise<boolean> {
    try {
      const r = await this.o.requests.ask<{ had?: unknown; room?: unknown }>(gateway, 'takeover', { player }, TAKEOVER_TIMEOUT_MS);
      if (r?.had !== true) return false;
      this.o.log.info('takeover', { player, from: gateway });
      // Where the player stood, if that gateway knew (a login still entering did not): else the caller enters them again.
      if (typeof r.room !== 'string') return false;
      this.o.adopt(player, r.room);
      return true;
    } catch (err) {
      // Gone without a goodbye (its heartbeat has not timed out yet): its session died with it.
      this.o.log.warn('takeover unanswered', { player, from: gateway, why: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  /** Does that gateway hold the player's session right now? (No answer: it is gone.) */
  private async holds(gateway: string, player: Ref): Promise<boolean> {
    const r = await this.o.requests.ask<{ had?: unknown }>(gateway, 'takeover', { player, probe: true }, TAKEOVER_TIMEOUT_MS).catch(() => undefined);
    return r?.had === true;
  }

  /** Another gateway's login for a player whose session is here (`probe`: only say whether it is). */
  private async handOver(body: unknown): Promise<{ had: boolean; room: Ref | null }> {
    const { player, probe } = (body ?? {}) as { player?: unknown; probe?: unknown };
    if (typeof player !== 'string' || !player.startsWith('player/')) throw new Error('takeover: expected { player: "player/<name>" }');
    await this.leaving.get(player);
    if (probe === true) return { had: this.o.registry.has(player), room: null };
    const room = this.o.locations.roomOf(player) ?? null;
    const old = this.o.registry.takeOver(player);
    await old?.linkSettled; // a link-dead session's `linkLost` lands before the new login's `relinked`
    const had = old !== undefined;
    if (had) this.o.log.info('taken over', { player, by: 'another gateway' });
    return { had, room };
  }

  private localWho(): WhoRow[] {
    return whoRowsHere(this.o.registry, this.o.locations);
  }
}

/** Another gateway's `who` answer, checked. */
function whoRows(v: unknown): WhoRow[] | null {
  if (!Array.isArray(v)) return null;
  return v
    .filter((r): r is WhoRow => typeof r?.player === 'string' && (r.room === null || typeof r.room === 'string'))
    .map((r) => ({ player: r.player, room: r.room, ...(r.linkDead === true ? { linkDead: true } : {}), ...(r.away === true ? { away: true } : {}) }));
}

/** This gateway's players, with where they are, and whether their link is lost or they are away. */
export function whoRowsHere(registry: SessionRegistry, locations: LocationIndex): WhoRow[] {
  return registry.players().map((player) => {
    const row: WhoRow = { player, room: locations.roomOf(player) ?? null };
    const session = registry.get(player);
    if (session?.linkDead === true) row.linkDead = true;
    else if (session?.away === true) row.away = true;
    return row;
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

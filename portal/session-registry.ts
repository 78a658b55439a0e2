import type { Ref } from '../world/core/types.js';
import type { PlayerLines } from '../dispatch/outlet.js';
import { SharedText } from './shared-text.js';
import { OutOfBand } from './out-of-band.js';
import type { Json } from '../world/core/types.js';
import { talkerOf } from '../world/core/client-data.js';

/** The speaker of a line's client data: a channel line (`Comm.Channel.Text`) names its talker. */
const spokenBy = (pkg: string, data: Json): Ref | undefined => (pkg === 'Comm.Channel.Text' ? talkerOf(data) : undefined);

/** What the registry needs of a session. */
export interface Attachable {
  tell(text: string): void;
  tellShared(text: SharedText): void;
  emit(oob: OutOfBand): void;
  /** Does the player listen to this channel (chat on)? */
  hears(channel: string): boolean;
  /** Does the player ignore this one's words (`ignore`)? */
  ignores(speaker: Ref): boolean;
  /** Another connection logged in as this player: say so and close, without leaving the world. */
  takenOver(): void;
  /** The connection dropped and the character stays a while (portal/session-leave.ts). */
  readonly linkDead?: boolean;
  /** Away from the keyboard (`afk`): `who` marks it. */
  readonly away?: boolean;
  /** Settles once the world was told the link was lost: a takeover waits for it before `relinked`. */
  readonly linkSettled?: Promise<unknown>;
}

/** Told when a player's session arrives on this gateway and when it goes (the cluster outlet follows players by it). */
export interface SessionWatcher {
  attached(player: Ref): void;
  detached(player: Ref): void;
}

/** The players online here, each with one session: where the outlet's lines go. */
export class SessionRegistry<S extends Attachable = Attachable> implements PlayerLines {
  private readonly sessions = new Map<Ref, S>();
  /** Lines handed to sessions since start (the status turns it into lines fanned out per second). */
  delivered = 0;
  private watcher: SessionWatcher | undefined;

  watch(watcher: SessionWatcher): void {
    this.watcher = watcher;
  }

  /** Attaches a session; returns the one it took over, if the player was already on. */
  attach(player: Ref, session: S): S | undefined {
    const old = this.sessions.get(player);
    this.sessions.set(player, session);
    this.watcher?.attached(player);
    if (old && old !== session) old.takenOver();
    return old;
  }

  /** A login on another gateway took the player over: the session here is told and
   *  closed, and the player stays in the world. Returns it, if there was one. */
  takeOver(player: Ref): S | undefined {
    const s = this.sessions.get(player);
    if (!s) return undefined;
    this.sessions.delete(player);
    this.watcher?.detached(player);
    s.takenOver();
    return s;
  }

  /** Detaches only if this session is still the player's (a taken-over one is not). */
  detach(player: Ref, session: S): boolean {
    if (this.sessions.get(player) !== session) return false;
    this.sessions.delete(player);
    this.watcher?.detached(player);
    return true;
  }

  has(player: Ref): boolean {
    return this.sessions.has(player);
  }

  /** The player's session here, if any. */
  get(player: Ref): S | undefined {
    return this.sessions.get(player);
  }

  tell(player: Ref, text: string, from?: Ref): void {
    const s = this.sessions.get(player);
    if (!s || (from && s.ignores(from))) return;
    s.tell(text);
    this.delivered += 1;
  }

  tellMany(players: Iterable<Ref>, text: string, except?: readonly Ref[], from?: Ref): number {
    let shared: SharedText | undefined;
    let n = 0;
    for (const p of players) {
      if (except?.includes(p)) continue;
      const s = this.sessions.get(p);
      if (s && !(from && s.ignores(from))) {
        s.tellShared((shared ??= new SharedText(text)));
        n += 1;
        this.delivered += 1;
      }
    }
    return n;
  }

  emit(player: Ref, pkg: string, data: Json): void {
    const s = this.sessions.get(player);
    const from = spokenBy(pkg, data);
    if (s && !(from && s.ignores(from))) s.emit(new OutOfBand(pkg, data));
  }

  emitMany(players: Iterable<Ref>, pkg: string, data: Json, except?: readonly Ref[]): number {
    let shared: OutOfBand | undefined;
    let n = 0;
    const from = spokenBy(pkg, data);
    for (const p of players) {
      if (except?.includes(p)) continue;
      const s = this.sessions.get(p);
      if (s && !(from && s.ignores(from))) {
        s.emit((shared ??= new OutOfBand(pkg, data)));
        n += 1;
      }
    }
    return n;
  }

  /** A channel line to every session here that listens to it, encoded once. */
  broadcast(channel: string, text: string, data: Json): number {
    let shared: SharedText | undefined;
    let oob: OutOfBand | undefined;
    let n = 0;
    const from = talkerOf(data);
    for (const s of this.sessions.values()) {
      if (!s.hears(channel) || (from && s.ignores(from))) continue;
      s.tellShared((shared ??= new SharedText(text)));
      s.emit((oob ??= new OutOfBand('Comm.Channel.Text', data)));
      n += 1;
      this.delivered += 1;
    }
    return n;
  }

  get size(): number {
    return this.sessions.size;
  }

  players(): Ref[] {
    return [...this.sessions.keys()].sort();
  }

  sessionsList(): S[] {
    return [...this.sessions.values()];
  }
}

import type { Json, Ref } from '../world/core/types.js';
import { refName } from '../world/core/types.js';
import type { LineBus } from './gateway-bus.js';
import type { Outlet, PlayerLines } from '../dispatch/outlet.js';
import { LocalOutlet } from '../dispatch/local-outlet.js';

/** What one gateway's bus carried, for the status (see docs/architecture/many-gateways.md). */
export interface ClusterOutletStats {
  /** NATS messages this gateway published: each room line once, whatever the listeners. */
  published: number;
  /** NATS messages heard from other gateways, and of those the ones carrying a text line. */
  received: number;
  receivedLines: number;
  /** Lines handed to sessions here for the text lines heard, and per line heard. */
  deliveredFromBus: number;
  linesPerMessage: number;
  /** Rooms this gateway listens to (it has players there) and players it follows (their sessions are here). */
  rooms: number;
  players: number;
  /** Messages heard that did not have the shape of a line (dropped). */
  malformed: number;
}

type PlayerLine = { t: 'tell'; text: string; from?: Ref } | { t: 'emit'; pkg: string; data: Json } | { t: 'located'; room: Ref | null };

/** The outlet of a gateway among several. It fans every line out to its own
 *  sessions first (the `LocalOutlet`), then:
 *  - a room line is published once on the room's subject; every other gateway
 *    with players in that room listens there (from its first player in the room
 *    to its last) and fans it out to them: one NATS message per gateway, not per player;
 *  - a line, data or a move for a player whose session is not here goes to the
 *    player's subject, which the gateway holding the session listens to;
 *  - shouts and channel lines are published once on the area's or channel's
 *    subject, which every gateway listens to. */
export class ClusterOutlet implements Outlet {
  readonly local: LocalOutlet;
  private readonly rooms = new Map<Ref, () => void>();
  private readonly followed = new Map<Ref, () => void>();
  private receivedLines = 0;
  private deliveredFromBus = 0;
  private malformed = 0;
  private readonly stops: Array<() => void> = [];

  constructor(private readonly players: PlayerLines, areaOf: (room: Ref) => string, private readonly bus: LineBus, private readonly busStats: () => { published: number; received: number }) {
    this.local = new LocalOutlet(players, areaOf, { occupied: (room) => this.listenToRoom(room), vacated: (room) => this.leaveRoom(room) });
    this.stops.push(bus.listen('area', '*', (p) => this.heardArea(p)));
    this.stops.push(bus.listen('chan', '*', (p) => this.heardChannel(p)));
  }

  tell(player: Ref, text: string, from?: Ref): void {
    if (this.players.has(player)) this.local.tell(player, text, from);
    else this.toPlayer(player, from ? { t: 'tell', text, from } : { t: 'tell', text });
  }

  emit(player: Ref, pkg: string, data: Json): void {
    if (this.players.has(player)) this.local.emit(player, pkg, data);
    else this.toPlayer(player, { t: 'emit', pkg, data });
  }

  /** A move reaches the player's own gateway, whichever gateway's turn made it (a timer, a fight, a summon). */
  located(player: Ref, room: Ref | null): void {
    if (this.players.has(player)) this.local.located(player, room);
    else this.toPlayer(player, { t: 'located', room });
  }

  tellRoom(room: Ref, text: string, except?: readonly Ref[], from?: Ref): void {
    this.local.tellRoom(room, text, except, from);
    this.bus.publish('room', roomKey(room), { room, text, except, from });
  }

  emitRoom(room: Ref, pkg: string, data: Json, except?: readonly Ref[]): void {
    this.local.emitRoom(room, pkg, data, except);
    this.bus.publish('room', roomKey(room), { room, pkg, data, except });
  }

  tellArea(area: string, text: string, data: Json, except?: readonly Ref[]): void {
    this.local.tellArea(area, text, data, except);
    this.bus.publish('area', area, { area, text, data, except });
  }

  broadcast(channel: string, text: string, data: Json): void {
    this.local.broadcast(channel, text, data);
    this.bus.publish('chan', channel, { channel, text, data });
  }

  /** The player's session is here now: lines for them from other gateways come here. */
  follow(player: Ref): void {
    if (this.followed.has(player)) return;
    this.followed.set(player, this.bus.listen('player', refName(player), (p) => this.heardForPlayer(player, p)));
  }

  /** The player's session left this gateway (logged out, taken over elsewhere): stop
   *  listening for them and forget where they stood, so this gateway leaves rooms it no longer needs. */
  unfollow(player: Ref): void {
    this.followed.get(player)?.();
    this.followed.delete(player);
    this.local.located(player, null);
  }

  /** Where a player taken over from another gateway stands, as that gateway last knew it:
   *  kept unless a move for them has arrived here since (it is newer). */
  adopt(player: Ref, room: Ref | null): void {
    if (room && this.players.has(player) && this.local.locations.roomOf(player) === undefined) this.local.located(player, room);
  }

  stats(): ClusterOutletStats {
    const bus = this.busStats();
    return {
      published: bus.published, received: bus.received, receivedLines: this.receivedLines,
      deliveredFromBus: this.deliveredFromBus, linesPerMessage: this.receivedLines ? this.deliveredFromBus / this.receivedLines : 0,
      rooms: this.rooms.size, players: this.followed.size, malformed: this.malformed,
    };
  }

  close(): void {
    for (const stop of [...this.stops.splice(0), ...this.rooms.values(), ...this.followed.values()]) stop();
    this.rooms.clear();
    this.followed.clear();
  }

  private toPlayer(player: Ref, line: PlayerLine): void {
    this.bus.publish('player', refName(player), line);
  }

  private listenToRoom(room: Ref): void {
    if (!this.rooms.has(room)) this.rooms.set(room, this.bus.listen('room', roomKey(room), (p) => this.heardRoom(room, p)));
  }

  private leaveRoom(room: Ref): void {
    this.rooms.get(room)?.();
    this.rooms.delete(room);
  }

  private heardRoom(room: Ref, p: unknown): void {
    const m = p as { room?: unknown; text?: unknown; pkg?: unknown; data?: Json; except?: unknown; from?: unknown };
    const except = refs(m?.except);
    const from = speaker(m?.from);
    if (m?.room !== room || except === null || from === null) return void (this.malformed += 1);
    if (typeof m.text === 'string') {
      this.receivedLines += 1;
      this.deliveredFromBus += this.local.tellRoom(room, m.text, except, from);
    } else if (typeof m.pkg === 'string') this.local.emitRoom(room, m.pkg, m.data ?? null, except);
    else this.malformed += 1;
  }

  private heardForPlayer(player: Ref, p: unknown): void {
    // A line that crossed as the session moved to another gateway: the new one has it too.
    if (!this.players.has(player)) return;
    const m = p as PlayerLine;
    const from = speaker(m?.t === 'tell' ? m.from : undefined);
    if (m?.t === 'tell' && typeof m.text === 'string' && from !== null) {
      this.receivedLines += 1;
      this.deliveredFromBus += 1;
      this.local.tell(player, m.text, from);
    } else if (m?.t === 'emit' && typeof m.pkg === 'string') this.local.emit(player, m.pkg, m.data ?? null);
    else if (m?.t === 'located' && (m.room === null || typeof m.room === 'string')) this.local.located(player, m.room);
    else this.malformed += 1;
  }

  private heardArea(p: unknown): void {
    const m = p as { area?: unknown; text?: unknown; data?: Json; except?: unknown };
    const except = refs(m?.except);
    if (typeof m?.area !== 'string' || typeof m.text !== 'string' || except === null) return void (this.malformed += 1);
    this.receivedLines += 1;
    this.deliveredFromBus += this.local.tellArea(m.area, m.text, m.data ?? null, except);
  }

  private heardChannel(p: unknown): void {
    const m = p as { channel?: unknown; text?: unknown; data?: Json };
    if (typeof m?.channel !== 'string' || typeof m.text !== 'string') return void (this.malformed += 1);
    this.receivedLines += 1;
    this.deliveredFromBus += this.local.broadcast(m.channel, m.text, m.data ?? null);
  }
}

/** A room's subject key: its name without the `room/` every room ref starts with. */
function roomKey(room: Ref): string {
  return room.startsWith('room/') ? room.slice(5) : room;
}

/** A line's speaker as sent: absent, or a player's ref; null when it is neither. */
function speaker(v: unknown): Ref | undefined | null {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'string' && v.startsWith('player/') ? v : null;
}

/** An `except` list as sent: absent, or refs; null when it is neither. */
function refs(v: unknown): Ref[] | undefined | null {
  if (v === undefined || v === null) return undefined;
  return Array.isArray(v) && v.every((r) => typeof r === 'string') ? (v as Ref[]) : null;
}

// The cluster outlet over the real gateway bus and a real nats-server: two
// "gateways" in one process, each with its own bus connection and a
// recording stand-in for its sessions.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithNats, startNatsServer, waitUntil, type TestNatsServer } from './helpers/nats-server.js';
import { NatsGatewayBus } from '../cluster/nats-gateway-bus.js';
import { ClusterOutlet } from '../cluster/cluster-outlet.js';
import type { PlayerLines } from '../dispatch/outlet.js';
import { silentLogger } from '../support/logger.js';
import type { Json, Ref } from '../world/core/types.js';

/** Sessions that write down every line they get. */
class RecordedSessions implements PlayerLines {
  readonly lines = new Map<Ref, string[]>();
  constructor(players: Ref[]) {
    for (const p of players) this.lines.set(p, []);
  }
  has(p: Ref): boolean {
    return this.lines.has(p);
  }
  tell(p: Ref, text: string, from?: Ref): void {
    this.lines.get(p)?.push(from ? `${text} <${from}>` : text);
  }
  emit(p: Ref, pkg: string, _data: Json): void {
    this.lines.get(p)?.push(`[${pkg}]`);
  }
  tellMany(players: Iterable<Ref>, text: string, except?: readonly Ref[], from?: Ref): number {
    let n = 0;
    for (const p of players) if (this.has(p) && !except?.includes(p)) n += (this.tell(p, text, from), 1);
    return n;
  }
  emitMany(players: Iterable<Ref>, pkg: string, data: Json, except?: readonly Ref[]): number {
    let n = 0;
    for (const p of players) if (this.has(p) && !except?.includes(p)) n += (this.emit(p, pkg, data), 1);
    return n;
  }
  broadcast(_channel: string, text: string): number {
    for (const p of this.lines.keys()) this.tell(p, text);
    return this.lines.size;
  }
}

describeWithNats('cluster outlet', () => {
  let nats: TestNatsServer;
  const buses: NatsGatewayBus[] = [];

  async function gateway(id: string, players: Ref[]): Promise<{ outlet: ClusterOutlet; sessions: RecordedSessions }> {
    const bus = await NatsGatewayBus.open(nats.url, id, silentLogger());
    buses.push(bus);
    const sessions = new RecordedSessions(players);
    const outlet = new ClusterOutlet(sessions, () => 'quarter', bus, () => bus.stats());
    for (const p of players) outlet.follow(p);
    return { outlet, sessions };
  }

  beforeAll(async () => {
    nats = await startNatsServer();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await nats?.cleanup();
  });

  it('outlet - a room line crosses once per gateway, however many listen there, and never echoes back', async () => {
    const a = await gateway('oa', ['player/ann']);
    const b = await gateway('ob', ['player/bo', 'player/cy', 'player/di']);
    for (const p of ['player/bo', 'player/cy', 'player/di']) b.outlet.located(p, 'room/plaza');
    a.outlet.located('player/ann', 'room/plaza');
    await buses[1].flush();
    a.outlet.tellRoom('room/plaza', 'Ann waves.');
    await waitUntil(() => ['player/bo', 'player/cy', 'player/di'].every((p) => b.sessions.lines.get(p)!.includes('Ann waves.')), 5_000, () => 'the line on B');
    expect(a.sessions.lines.get('player/ann')).toEqual(['Ann waves.']); // delivered here once, not heard back
    expect(a.outlet.stats()).toMatchObject({ published: 1, received: 0 });
    expect(b.outlet.stats()).toMatchObject({ received: 1, receivedLines: 1, deliveredFromBus: 3, linesPerMessage: 3, rooms: 1 });
    // `except` crosses with the line.
    b.outlet.tellRoom('room/plaza', 'Bo grins.', ['player/bo']);
    await waitUntil(() => a.sessions.lines.get('player/ann')!.includes('Bo grins.'), 5_000, () => 'the line on A');
    expect(b.sessions.lines.get('player/bo')).not.toContain('Bo grins.');
    // The speaker crosses with a room line and with a line for one player, so the gateway holding an
    // ignoring player's session can drop it (portal/session-registry.ts).
    a.outlet.tellRoom('room/plaza', 'Ann says, "hi"', ['player/ann'], 'player/ann');
    a.outlet.tell('player/bo', 'Ann tells you, "psst"', 'player/ann');
    await waitUntil(() => b.sessions.lines.get('player/bo')!.includes('Ann tells you, "psst" <player/ann>'), 5_000, () => 'the tell on B');
    expect(b.sessions.lines.get('player/cy')).toContain('Ann says, "hi" <player/ann>');
  });

  it('outlet - a gateway listens to a room from its first player there to its last', async () => {
    const a = await gateway('pa', ['player/eve']);
    const b = await gateway('pb', ['player/fay', 'player/gus']);
    b.outlet.located('player/fay', 'room/garden');
    b.outlet.located('player/gus', 'room/garden');
    b.outlet.located('player/fay', null);
    expect(b.outlet.stats().rooms).toBe(1);
    b.outlet.located('player/gus', 'room/market');
    expect(b.outlet.stats().rooms).toBe(1); // the market now, the garden no more
    await buses[3].flush();
    a.outlet.tellRoom('room/garden', 'Eve hums.');
    a.outlet.tellRoom('room/market', 'Eve shouts a price.');
    await waitUntil(() => b.sessions.lines.get('player/gus')!.includes('Eve shouts a price.'), 5_000, () => 'the market line on B');
    expect(b.outlet.stats().received).toBe(1); // the garden's line never reached B
  });

  it('outlet - lines and moves for a player follow the player to their gateway; channels reach every gateway once', async () => {
    const a = await gateway('qa', ['player/hal']);
    const b = await gateway('qb', ['player/ida']);
    await buses[5].flush();
    a.outlet.tell('player/ida', 'Hal tells you, "psst"');
    a.outlet.located('player/ida', 'room/tower'); // a summon dispatched on A
    await waitUntil(() => b.outlet.local.locations.roomOf('player/ida') === 'room/tower', 5_000, () => 'the move on B');
    expect(b.sessions.lines.get('player/ida')).toEqual(['Hal tells you, "psst"']);
    expect(a.outlet.local.locations.roomOf('player/ida')).toBeUndefined();
    a.outlet.broadcast('chat', '[chat] Hal: hi', null);
    await waitUntil(() => b.sessions.lines.get('player/ida')!.includes('[chat] Hal: hi'), 5_000, () => 'the chat line on B');
    expect(a.sessions.lines.get('player/hal')).toEqual(['[chat] Hal: hi']);
    // The session moved on: B stops following Ida and forgets where she stood.
    b.outlet.unfollow('player/ida');
    expect(b.outlet.stats()).toMatchObject({ players: 0, rooms: 0 });
  });
});

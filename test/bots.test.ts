// The bot swarm against a real server: real telnet (and WebSocket) players
// that log in, walk to a room, talk, and leave cleanly.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { runSwarm, botName, type SwarmPhase } from '../bots/bot-swarm.js';

async function until(test: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('bots', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 2, dispatch: 'actor' });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('bots - a swarm of 20 all reach the plaza, every command is answered, no errors, and all leave', async () => {
    const inPlaza: number[] = [];
    const phases = new Set<SwarmPhase>();
    const result = await runSwarm({
      count: 20, rate: 4, durationMs: 1500, telnetPort: server.telnetPort, prefix: 'swarm', wander: 0,
      onProgress: (phase, done, total) => {
        phases.add(phase);
        // Counted by the server itself, while the run is on.
        if (phase === 'run' && done === 0) inPlaza.push(server.locations.playersIn('room/mystical_plaza').size);
        expect(done).toBeLessThanOrEqual(total);
      },
    });
    expect(result.firstErrors).toEqual([]);
    expect(result).toMatchObject({ bots: 20, connected: 20, placed: 20, errors: 0 });
    expect(result.sent).toBeGreaterThan(20);
    expect(result.answered).toBe(result.sent);
    expect(result.latencyUs.p50).toBeGreaterThan(0);
    expect(result.latencyUs.max).toBeGreaterThanOrEqual(result.latencyUs.p99);
    expect(inPlaza).toEqual([20]);
    expect([...phases]).toEqual(['connect', 'run', 'quit']);
    expect(server.registry.size).toBe(0);
  });

  it('bots - known characters connect instead and walk there from wherever they were left', async () => {
    const first = await runSwarm({ count: 5, rate: 2, durationMs: 500, telnetPort: server.telnetPort, prefix: 'walker', room: 'observatory', wander: 0 });
    expect(first).toMatchObject({ connected: 5, placed: 5, errors: 0 });
    let upstairs = -1;
    const again = await runSwarm({
      count: 5, rate: 2, durationMs: 500, telnetPort: server.telnetPort, prefix: 'walker', room: 'mystical_plaza', wander: 0,
      onProgress: (phase, done) => { if (phase === 'run' && done === 0) upstairs = server.locations.playersIn('room/observatory').size; },
    });
    expect(again).toMatchObject({ connected: 5, placed: 5, errors: 0 });
    expect(upstairs).toBe(0);
  });

  it('bots - over WebSocket, with wanderers stepping out and back', async () => {
    const result = await runSwarm({ count: 10, rate: 4, durationMs: 1500, ws: true, httpPort: server.httpPort, prefix: 'webby', wander: 0.5 });
    expect(result.firstErrors).toEqual([]);
    expect(result).toMatchObject({ connected: 10, placed: 10, errors: 0 });
    expect(result.answered).toBe(result.sent);
  });

  it('bots - an abort ends the run early and everyone still quits', async () => {
    const abort = new AbortController();
    const result = await runSwarm({
      count: 5, rate: 2, durationMs: 600_000, telnetPort: server.telnetPort, prefix: 'short', signal: abort.signal,
      onProgress: (phase) => { if (phase === 'run') abort.abort(); },
    });
    expect(result).toMatchObject({ connected: 5, placed: 5, errors: 0 });
    expect(result.runMs).toBeLessThan(600_000);
    expect(server.registry.size).toBe(0);
  });

  it('bots - a wrong password is an error naming the bot, not a crash', async () => {
    const result = await runSwarm({ count: 2, durationMs: 100, telnetPort: server.telnetPort, prefix: 'swarm', password: 'wrongpass' });
    expect(result.connected).toBe(0);
    expect(result.errors).toBe(2);
    expect(result.firstErrors[0]).toMatch(/^swarmaa[ab]: login of swarmaa[ab] failed: Either that character does not exist, or that password is wrong\./);
  });

  it('party - the runner brings guests from a child process, refuses a second party, and sends them home on stop', async () => {
    const events: string[] = [];
    const unsubscribe = server.log.subscribe((e) => events.push(e.event));
    try {
      expect((await server.ops.party({ guests: 3, rate: 1 })).message).toMatch(/^party started: 3 guests arriving in mystical_plaza/);
      await expect(server.ops.party({ guests: 5 })).rejects.toThrow(/already running/);
      await until(() => server.locations.playersIn('room/mystical_plaza').size === 3, 'three guests in the plaza');
      expect((await server.ops.party({ stop: true })).message).toBe('party stopped: 3 guests went home');
      expect(server.registry.size).toBe(0);
      expect(events).toEqual(expect.arrayContaining(['party started', 'party ended', 'party stopped']));
      expect((await server.ops.party({ stop: true })).message).toBe('no party is running');
    } finally {
      unsubscribe();
      await server.ops.party({ stop: true });
    }
  });

  it('bots - a raid gathers in the den and wears the wyrm down; the party runner starts one too', async () => {
    const result = await runSwarm({ count: 6, rate: 2, durationMs: 2500, telnetPort: server.telnetPort, prefix: 'raider', room: 'wyrm_den', raid: 'wyrm' });
    expect(result.firstErrors).toEqual([]);
    expect(result).toMatchObject({ connected: 6, placed: 6, errors: 0 });
    const wyrm = (await server.store.get('item/lantern_wyrm'))?.value as { state?: { hp?: number } } | undefined;
    expect(wyrm?.state?.hp).toBeLessThan(20_000);
    try {
      expect((await server.ops.party({ guests: 2, raid: true })).message).toBe('raid started: 2 guests attacking the boss in wyrm_den');
      await until(() => server.locations.playersIn('room/wyrm_den').size === 2, 'two raiders in the den');
    } finally {
      await server.ops.party({ stop: true });
    }
  });

  it('bots - names are letters only: prefix plus three letters', () => {
    expect(botName('bot', 0)).toBe('botaaa');
    expect(botName('bot', 27)).toBe('botabb');
    expect(() => botName('bot1', 0)).toThrow(/letters a to z/);
  });
});

describe('bots against the command rate limit', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ nodes: 0, limits: { commandsPerSecond: 1, commandBurst: 3 } });
  });
  afterAll(() => server?.cleanup());

  it('bots - a refused command is counted as refused, not as answered, and not in the latency', async () => {
    const result = await runSwarm({ count: 3, rate: 20, durationMs: 1500, telnetPort: server.telnetPort, prefix: 'rated', wander: 0 });
    expect(result).toMatchObject({ connected: 3, placed: 3, errors: 0 });
    expect(result.refused).toBeGreaterThan(0);
    expect(result.answered + result.refused).toBe(result.sent);
    expect(result.answered).toBeLessThan(result.sent);
    expect(result.firstErrors[0]).toMatch(/^refused: rated.*You are sending commands too fast/);
  });
});

// Hot-object promotion: an actor whose mailbox stays deep is switched to
// function mode on its own, logged with the figures, and goes back once cool.
import { describe, expect, it } from 'vitest';
import { player, startTestServer } from './helpers/test-server.js';
import { Logger, type LogEvent } from '../support/logger.js';
import { modeOf } from '../dispatch/mode-table.js';

describe('auto-promote', () => {
  it('promote - a deep plaza mailbox makes the plaza a function, and it returns to actor when cool', async () => {
    const events: LogEvent[] = [];
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    const server = await startTestServer({
      dispatch: 'actor', nodes: 2, log, limits: { commandsPerSecond: 10_000, commandBurst: 10_000 },
      autoPromote: { mailbox: 3, windowMs: 400, coolMs: 800 },
    });
    try {
      const crowd = await Promise.all(Array.from({ length: 25 }, (_, i) => player(server.telnetPort, `dancer${String.fromCharCode(97 + i)}`)));
      let partying = true;
      const loops = crowd.map(async (c) => {
        while (partying) await c.command('emote dances');
      });
      // Deadlines, not timings: on a loaded machine the mailbox takes longer to stay deep for the window.
      for (let i = 0; i < 600 && !events.some((e) => e.event === 'auto-promoted'); i++) await new Promise((r) => setTimeout(r, 50));
      partying = false;
      await Promise.all(loops);
      const promoted = events.find((e) => e.event === 'auto-promoted');
      expect(promoted?.fields).toMatchObject({ ref: 'room/mystical_plaza', to: 'function' });
      expect(Number(promoted?.fields.mailbox)).toBeGreaterThanOrEqual(3);
      for (let i = 0; i < 400 && !events.some((e) => e.event === 'auto-demoted'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(events.find((e) => e.event === 'auto-demoted')?.fields).toMatchObject({ ref: 'room/mystical_plaza', to: 'actor' });
      expect(modeOf(server.engine.modes, 'room/mystical_plaza')).toBe('actor');
      for (const c of crowd) c.close();
    } finally {
      await server.cleanup();
    }
  }, 120_000);
});

// `look <direction>` (issue 23): where the exit leads, and the door standing in
// it as it is now (open, closed), over telnet on the shipped world in every
// dispatch mode (the room hears of the door's changes by message).
import { describe, expect, it } from 'vitest';
import { player, startTestServer } from './helpers/test-server.js';

describe('look in a direction', () => {
  for (const mode of ['in-process', 'actor', 'function']) {
    it(`look direction - ${mode}: names the door on the exit and its state; an exit without one, and no exit`, async () => {
      const server = await startTestServer({ dispatch: mode, nodes: mode === 'in-process' ? 0 : 2 });
      try {
        const c = await player(server.telnetPort, 'looker');
        expect(await c.command('look east')).toContain('To the east lies The Old Armory, through a heavy oak door (open).');
        await c.command('close door');
        expect(await c.command('look east')).toContain('To the east lies The Old Armory, through a heavy oak door (closed).');
        expect(await c.command('look north')).toContain('To the north lies The Old Library.');
        expect(await c.command('look up')).toContain('There is no exit up.');
        c.close();
      } finally {
        await server.cleanup();
      }
    }, 60_000);
  }
});

// A gateway the others counted gone (SIGSTOPped, cut off) while its players' sessions stayed open puts
// them back in the world when it hears again (portal/session-rejoin.ts): a `connect` for each. A command
// the player typed meanwhile may be moving them then. Seen in CI as test/cluster-switch.test.ts's pause
// case: Carl's `west`, typed while his gateway was stopped, answered by the plaza, and his next `look`
// answered by the Old Armory he had left. Here the race is ordered by holding two turns: the connect, had
// it run beside the move, would have read the armory from his record and entered it again after the move.
import { describe, expect, it } from 'vitest';
import { player, startTestServer } from './helpers/test-server.js';
import type { Effect, Msg, Ref } from '../world/core/types.js';

const PLAZA = 'room/mystical_plaza';
const ARMORY = 'room/armory';

/** A promise and the function that settles it. */
function latch(): { done: Promise<void>; open: () => void } {
  let open!: () => void;
  const done = new Promise<void>((r) => (open = r));
  return { done, open };
}

describe('session reenter', () => {
  it('reenter - a player put back in the world while a move of theirs is under way ends where the move took them', async () => {
    const server = await startTestServer();
    try {
      const carl = await player(server.telnetPort, 'carl');
      expect(await carl.command('east')).toMatch(/^The Old Armory\n/);
      const dispatcher = server.engine.dispatcherFor(PLAZA);
      const run = dispatcher.run.bind(dispatcher);
      const atPlaza = latch(); // the move reached the plaza: Carl's record still says the armory
      const plaza = latch();
      const armory = latch();
      dispatcher.run = (ref: Ref, msg: Msg): Promise<Effect[]> => {
        if (ref === PLAZA && msg.type === 'enter') {
          atPlaza.open();
          return plaza.done.then(() => run(ref, msg));
        }
        // An entry into the armory now could only be the connect's, reading the room he is leaving: it lands last.
        if (ref === ARMORY && msg.type === 'enter') return armory.done.then(() => run(ref, msg));
        return run(ref, msg);
      };
      const west = carl.command('west');
      await atPlaza.done;
      const reentered = server.registry.get('player/carl')!.reenter();
      plaza.open();
      expect(await west).toMatch(/(^|\n)The Mystical Plaza\n/);
      armory.open();
      await reentered;
      dispatcher.run = run;
      expect(await carl.command('look')).toMatch(/^The Mystical Plaza\n/);
      const state = async (ref: Ref) => ((await server.store.get(ref))?.value as { state: { room?: Ref; occupants?: Ref[]; online?: boolean } }).state;
      expect(await state('player/carl')).toMatchObject({ room: PLAZA, online: true });
      expect((await state(PLAZA)).occupants).toContain('player/carl');
      expect((await state(ARMORY)).occupants ?? []).not.toContain('player/carl');
      carl.close();
    } finally {
      await server.cleanup();
    }
  }, 60_000);
});

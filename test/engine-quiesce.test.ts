// A stop waits for the chains of messages under way, not only the turns running when it begins: a
// turn's consequence delivered during the wait (a `drop` after a `give`) used to be held and run after
// the stop had gone on to close the store, stranding what it carried.
import { describe, expect, it } from 'vitest';
import { Engine } from '../dispatch/engine.js';
import { Chains } from '../dispatch/command-tracker.js';
import type { Dispatcher, LoadedWorld } from '../dispatch/dispatcher.js';
import { uniformTable } from '../dispatch/mode-table.js';
import type { Outlet } from '../dispatch/outlet.js';
import { Logger } from '../support/logger.js';
import type { Effect, Msg, Ref } from '../world/core/types.js';

const after = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A dispatcher whose turns take `ms` each; a player's turn sends one message on to an item (the
 *  consequence), whose turn is recorded when it ends. (A double: the point is when turns end.) */
function slowDispatcher(ms: number, ran: string[]): Dispatcher {
  return {
    mode: 'in-process',
    async run(ref: Ref, msg: Msg): Promise<Effect[]> {
      await after(ms);
      ran.push(`${ref} ${msg.type}`);
      return ref.startsWith('player/') ? [{ t: 'send', to: 'item/sword', msg: { type: 'drop', id: `${msg.id}-drop` } as Msg }] : [];
    },
    release: async () => undefined,
    setWorld: async () => undefined,
    close: async () => undefined,
  };
}

const quiet: Outlet = { tell() {}, emit() {}, located() {}, tellRoom() {}, emitRoom() {}, tellArea() {}, broadcast() {} };
const world = { def: () => undefined } as unknown as LoadedWorld;

describe('engine quiesce', () => {
  it('quiesce - a consequence delivered while the stop waits runs before the stop goes on', async () => {
    const ran: string[] = [];
    const engine = new Engine({ dispatchers: { 'in-process': slowDispatcher(40, ran) }, table: uniformTable('in-process'), world, outlet: quiet, log: new Logger(null) });
    const command = engine.disconnect('player/cleo');
    engine.close();
    expect(await engine.quiesce()).toBe(true);
    expect(ran).toEqual(['player/cleo disconnect', 'item/sword drop']);
    await command;
  });

  it('quiesce - a chain still going at the deadline: the stop goes on and says so', async () => {
    const ran: string[] = [];
    const engine = new Engine({ dispatchers: { 'in-process': slowDispatcher(400, ran) }, table: uniformTable('in-process'), world, outlet: quiet, log: new Logger(null) });
    const command = engine.disconnect('player/cleo');
    engine.close();
    expect(await engine.quiesce(100)).toBe(false);
    await command;
    expect(ran).toEqual(['player/cleo disconnect', 'item/sword drop']);
  });

  it('chains - settled waits for chains started meanwhile', async () => {
    const chains = new Chains();
    const first = chains.track();
    first.open();
    let settled = false;
    const waiting = chains.settled(5_000).then((ok) => (settled = ok));
    // A chain starts while the first is under way (a consequence), then the first ends.
    const second = chains.track();
    second.open();
    first.close();
    await first.done;
    await new Promise((r) => setImmediate(r)); // every microtask the first's end set off has run
    expect(settled).toBe(false);
    expect(chains.size).toBe(1);
    second.close();
    await waiting;
    expect(settled).toBe(true);
    expect(chains.size).toBe(0);
  });
});

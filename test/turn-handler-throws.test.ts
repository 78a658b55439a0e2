// A kind's handler that throws: a turn is pure, so it would throw again on every try. A message that moves nothing
// is dropped at once, logged, and its actor told, so no chain (and no player's command) waits minutes on its tries; a
// message that carries an item is still thrown to the engine, which tries it until it lands (it exists nowhere else).
// No handler of ours is known to throw (the script protocol property test found two: a chest and a door opened by a script, with no player, mended): the throw is made here.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadLiveWorld } from '../bin/live-world.js';
import { runTurn } from '../world/core/turn.js';
import { ITEM_KINDS } from '../world/kinds/item-kinds.js';
import { playerKind } from '../world/kinds/player.js';
import { DEFAULT_WORLD } from '../support/paths.js';

describe('a handler that throws', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('turn handler throws - a message that moves nothing is dropped, logged and its actor told; one that moves an item is thrown on', async () => {
    const world = await loadLiveWorld(DEFAULT_WORLD);
    const boom = () => {
      throw new Error('boom');
    };
    vi.spyOn(ITEM_KINDS.container.behaviour, 'handle').mockImplementation(boom);
    const out = runTurn(world, { shardCapacity: 0 }, 'item/chest', undefined, { id: 'm1', type: 'open', actor: 'player/ann', script: true }, 1_000);
    expect(out.changed).toBe(false);
    expect(out.effects).toEqual([
      { t: 'log', level: 'error', text: 'dropped open to item/chest: its handler threw (boom), and would again' },
      { t: 'tell', to: 'player/ann', text: "Something went wrong there. (It is in the server's log.)" },
    ]);

    vi.spyOn(playerKind, 'handle').mockImplementation(boom);
    expect(() => runTurn(world, { shardCapacity: 0 }, 'player/ann', undefined, { id: 'm2', type: 'receive', item: 'item/sword.1' }, 1_000)).toThrow('boom');
  });
});

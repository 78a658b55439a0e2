// The turn contract, on the pure function every dispatcher runs.
import { beforeAll, describe, expect, it } from 'vitest';
import { runTurn } from '../world/core/turn.js';
import { loadLiveWorld } from '../bin/live-world.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import type { World } from '../world/core/world.js';
import { styled } from '../world/core/text-style.js';
import type { Msg } from '../world/core/types.js';

const config = { shardCapacity: 0 };
let world: World;
beforeAll(async () => {
  world = await loadLiveWorld(DEFAULT_WORLD);
});

describe('turn', () => {
  it('turn - an emote to a crowd is one tellRoom and one room emit, fanned out by the gateway, not a line per guest', () => {
    const crowd = Array.from({ length: 1000 }, (_, i) => `player/guest${i}`);
    const record = { state: { contents: [], occupants: crowd }, recent: [] };
    const out = runTurn(world, config, 'room/armory', record, { id: 'b-1', type: 'emote', player: 'player/guest1', text: 'waves' }, 0);
    expect(out.effects).toEqual([
      { t: 'tellRoom', room: 'room/armory', text: styled('emote', 'Guest1 waves'), from: 'player/guest1' },
      { t: 'emit', to: 'room/armory', package: 'Comm.Channel.Text', data: { channel: 'emote', talker: 'Guest1', text: 'Guest1 waves' } },
    ]);
    expect(out.changed).toBe(false); // nothing to write: a read-only turn scales out
  });

  it('turn - out-of-band data is built only for clients that take it: none anywhere, or a plain actor; the text is the same', () => {
    const crowd = Array.from({ length: 200 }, (_, i) => `player/guest${i}`);
    const room = { state: { contents: ['item/chest'], occupants: crowd }, recent: [] };
    for (const [type, id] of [['look', 'c-1'], ['enter', 'c-2']] as const) {
      const msg: Msg = { id, type, player: 'player/ann', dir: null };
      const rich = runTurn(world, config, 'room/armory', room, msg, 0);
      const plain = runTurn(world, { ...config, clientData: false }, 'room/armory', room, msg, 0);
      expect(rich.effects.filter((e) => e.t === 'emit').map((e) => e.t === 'emit' && e.package)).toEqual(
        type === 'look' ? ['Room.Info', 'Room.Players', 'Char.Items.List', 'Lattice.Map'] : ['Room.Info', 'Room.Players', 'Char.Items.List', 'Lattice.Map', 'Room.AddPlayer'],
      );
      expect(plain.effects).toEqual(rich.effects.filter((e) => e.t !== 'emit'));
      expect(plain.record).toEqual(rich.record);
    }
    // Some client takes data, but not the actor's (plain telnet): nothing is built for the actor, the room's own emits still are.
    const mine: Msg = { id: 'c-4', type: 'enter', player: 'player/ann', actor: 'player/ann', plain: true, dir: null };
    const mixed = runTurn(world, config, 'room/armory', room, mine, 0);
    expect(mixed.effects.filter((e) => e.t === 'emit').map((e) => e.t === 'emit' && `${e.to} ${e.package}`)).toEqual(['room/armory Room.AddPlayer']);
    // What the actor's turn causes stays plain for the actor: the player's `moved` turn builds no Char.Status.
    expect(mixed.effects).toContainEqual({ t: 'send', to: 'player/ann', msg: expect.objectContaining({ type: 'moved', actor: 'player/ann', plain: true }) });
    // A player's own data (Char.Name, Char.Items.List, Char.Status on arrival) goes the same way.
    const ann = { state: { room: 'room/plaza', inventory: [], online: true }, recent: [] };
    const moved: Msg = { id: 'c-3', type: 'moved', room: 'room/armory' };
    expect(runTurn(world, config, 'player/ann', ann, moved, 0).effects.some((e) => e.t === 'emit')).toBe(true);
    expect(runTurn(world, { ...config, clientData: false }, 'player/ann', ann, moved, 0).effects.some((e) => e.t === 'emit')).toBe(false);
    expect(runTurn(world, config, 'player/ann', ann, { ...moved, actor: 'player/ann', plain: true }, 0).effects.some((e) => e.t === 'emit')).toBe(false);
    expect(runTurn(world, config, 'player/ann', ann, { ...moved, actor: 'player/bob', plain: true }, 0).effects.some((e) => e.t === 'emit')).toBe(true);
  });

  it('turn - a message applied once is not applied again; its stored sends come back', () => {
    const give: Msg = { id: 'b-2', type: 'give', player: 'player/ann', target: { words: ['sword'], n: 1 }, room: 'room/armory' };
    const chest = { state: { open: true, locked: false, contents: ['item/sword.1'] }, recent: [] };
    const first = runTurn(world, config, 'item/chest', chest, give, 5);
    expect(first.changed).toBe(true);
    const again = runTurn(world, config, 'item/chest', first.record, give, 6);
    expect(again).toMatchObject({ changed: false, duplicate: true });
    // The outbox keeps the sends and the timer (the chest's sword respawns: docs/architecture/respawn.md).
    expect(again.effects).toEqual(first.effects.filter((e) => e.t === 'send' || e.t === 'timer'));
    expect(again.effects.filter((e) => e.t === 'send')).toEqual([{ t: 'send', to: 'player/ann', msg: { id: 'b-2.1', type: 'receive', item: 'item/sword.1', text: 'You take a fine steel sword from the iron-bound chest.' } }]);
  });

  it('turn - a message of a player\'s command applied already is not run again; its answer marks the player, whose lines were not kept', () => {
    const east: Msg = { id: 'g-7', type: 'cmd', verb: 'go', dir: 'east', actor: 'player/ann' };
    const ann = { state: { room: 'room/lantern_market', inventory: [], online: true }, recent: [] };
    const leave = runTurn(world, config, 'player/ann', ann, east, 5).effects.find((e) => e.t === 'send');
    expect(leave).toMatchObject({ t: 'send', to: 'room/lantern_market', msg: { actor: 'player/ann' } });
    if (leave?.t !== 'send') return;
    const market = { state: { contents: [], occupants: ['player/ann'] }, recent: [] };
    const first = runTurn(world, config, leave.to, market, leave.msg, 5);
    expect(first.changed).toBe(true);
    expect(first.effects.some((e) => e.t === 'tell' || e.t === 'tellRoom')).toBe(true);
    const again = runTurn(world, config, leave.to, first.record, leave.msg, 6);
    expect(again).toMatchObject({ changed: false, duplicate: true, record: first.record });
    expect(again.effects).toEqual([
      ...first.effects.filter((e) => e.t === 'send' || e.t === 'located' || e.t === 'timer'),
      { t: 'again', to: 'player/ann' },
    ]);
    // A message no player's command caused marks nobody.
    const give: Msg = { id: 'g-8', type: 'give', player: 'player/ann', target: { words: ['sword'], n: 1 }, room: 'room/armory' };
    const chest = runTurn(world, config, 'item/chest', { state: { open: true, locked: false, contents: ['item/sword.1'] }, recent: [] }, give, 5);
    expect(runTurn(world, config, 'item/chest', chest.record, give, 6).effects.some((e) => e.t === 'again')).toBe(false);
  });

  it('turn - child ids are derived from the parent, so a re-run emits the same ids', () => {
    const msg: Msg = { id: 'c-7', type: 'cmd', verb: 'go', dir: 'north', actor: 'player/ann' };
    const player = { state: { room: 'room/mystical_plaza', inventory: [], wielded: null }, recent: [] };
    const a = runTurn(world, config, 'player/ann', player, msg, 1);
    const b = runTurn(world, config, 'player/ann', player, msg, 2);
    expect(a.effects).toEqual(b.effects);
    expect(a.effects[0]).toMatchObject({ t: 'send', to: 'room/mystical_plaza', msg: { id: 'c-7.1', type: 'exit', actor: 'player/ann' } });
  });

  it('turn - a script message can never move an item', () => {
    const chest = { state: { open: true, locked: false, contents: [] }, recent: [] };
    const forged: Msg = { id: 's-1', type: 'accept', player: 'player/ann', item: 'item/magic_sword', script: true };
    const out = runTurn(world, config, 'item/chest', chest, forged, 0);
    expect(out.changed).toBe(false);
    expect(out.effects).toEqual([{ t: 'log', level: 'warn', text: 'ignored script message accept to item/chest: scripts may not send it' }]);
  });

  it('turn - a script may send what the protocol table allows: a lever opens the chest for the player who pulled it', () => {
    const chest = { state: { open: false, locked: false, contents: ['item/sword.1'] }, recent: [] };
    const lever: Msg = { id: 's-2', type: 'open', player: 'player/ann', actor: 'player/ann', room: 'room/armory', keys: [], script: true };
    const out = runTurn(world, config, 'item/chest', chest, lever, 0);
    expect(out.changed).toBe(true);
    expect(out.record?.state).toMatchObject({ open: true, contents: ['item/sword.1'] });
    expect(out.effects.every((e) => e.t !== 'send' && e.t !== 'located')).toBe(true);
  });
});

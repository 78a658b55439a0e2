import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName } from '../commands/matching.js';
import { describeItem, itemDef } from './item.js';
import { keyFits, the } from './container.js';
import { styled } from '../core/text-style.js';
import type { ItemKindDeclaration } from './item-kind-spec.js';

/** A door on the exits between two rooms (world/files/world-doors.ts): one object for
 *  both sides, so it is open or shut for everyone at once. Walking through asks
 *  it first (`pass`); opening it tells both rooms, which show it (world/core/doors.ts). */
export interface DoorState {
  open: boolean;
  locked: boolean;
  vars?: Json;
  [key: string]: Json | undefined;
}

type Handler = (s: DoorState, m: Msg, ctx: TurnCtx) => DoorState | void;

const sides = (ctx: TurnCtx): Ref[] => {
  const rooms = itemDef(ctx.self, ctx.world)?.props.rooms;
  return Array.isArray(rooms) ? (rooms as Ref[]) : [];
};
const hasLock = (ctx: TurnCtx) => typeof itemDef(ctx.self, ctx.world)?.props.key === 'string';

/** The player and the room they stand in see who did it; the far side sees the door move. */
function changed(s: DoorState, m: Msg, ctx: TurnCtx, verb: string, far: string): DoorState {
  // Moved by a script (a lever, no player): both sides see the door move on its own.
  const player = typeof m.player === 'string' ? m.player : undefined;
  const here = player ? (m.room as Ref | undefined) : undefined;
  if (player) ctx.tell(player, `You ${verb} ${the(ctx)}.${verb.endsWith('lock') ? ' *click*' : ''}`);
  if (player && here) ctx.tellRoom(here, `${displayName(player)} ${verb}s ${the(ctx)}.`, [player]);
  for (const room of sides(ctx)) {
    if (room !== here && far) ctx.tellRoom(room, `${capitalize(the(ctx))} ${far}.`);
    ctx.send(room, { type: 'doorChanged', door: ctx.self, state: s.locked ? 'locked' : s.open ? 'open' : 'closed' });
  }
  return s;
}

const handlers: Record<string, Handler> = {
  examine(s, m, ctx) {
    const state = s.open ? 'It is open.' : s.locked ? 'It is closed and locked.' : 'It is closed.';
    ctx.tell(m.player as Ref, `${describeItem(ctx.self, ctx.world)}\n${state}`);
  },
  open(s, m, ctx) {
    if (s.open) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already open.`);
    if (s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is locked.`);
    return changed({ ...s, open: true }, m, ctx, 'open', 'swings open');
  },
  close(s, m, ctx) {
    if (!s.open) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already closed.`);
    return changed({ ...s, open: false }, m, ctx, 'close', 'swings shut');
  },
  unlock(s, m, ctx) {
    if (!hasLock(ctx)) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} has no lock.`);
    if (!s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} isn't locked.`);
    if (!keyFits(m, ctx)) return ctx.tell(m.player as Ref, "You don't have the key.");
    return changed({ ...s, locked: false }, m, ctx, 'unlock', 'clicks');
  },
  lock(s, m, ctx) {
    if (!hasLock(ctx)) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} has no lock.`);
    if (s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already locked.`);
    if (s.open) return ctx.tell(m.player as Ref, `You need to close ${the(ctx)} first.`);
    if (!keyFits(m, ctx)) return ctx.tell(m.player as Ref, "You don't have the key.");
    return changed({ ...s, locked: true }, m, ctx, 'lock', 'clicks');
  },
  /** Someone walks through: an open door hands them to their room's `exit`, a shut one stops them
   *  (one fleeing a fight too: they fight on, world/kinds/combat.ts). */
  pass(s, m, ctx) {
    const player = m.player as Ref;
    if (m.fleeing === true) ctx.tell(player, styled('combat', s.open ? `You flee ${m.dir as string}!` : `You try to flee ${m.dir as string}, but ${the(ctx)} is closed!`));
    else if (!s.open) ctx.tell(player, styled('error', `${capitalize(the(ctx))} is closed.`));
    if (!s.open) return;
    ctx.send(m.room as Ref, { type: 'exit', player, name: m.name, dir: m.dir, to: m.to, fromDir: m.fromDir });
  },
};

export const doorKind: Kind<DoorState> = {
  name: 'door',
  init(_ref, def) {
    const props = def && def.kind === 'door' ? def.props : {};
    return { open: props.open === true, locked: props.locked === true };
  },
  handle(state, msg, ctx) {
    return handlers[msg.type]?.(state, msg, ctx);
  },
  here: (s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref, open: s.open, locked: s.locked }),
};

/** A door on the exits between two rooms (world/files/world-doors.ts): named by those exits' `door:`,
 *  never placed in a room's items, never taken, not made by `@create` (building opens exits with doors). */
export const doorItemKind: ItemKindDeclaration = {
  props: {
    open: { type: 'boolean', fallback: false },
    locked: { type: 'boolean', fallback: false },
    key: { type: 'itemId' },
  },
  takeable: 'never',
  respawns: false,
};

import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { allOf, capitalize, displayName, findTarget, listNames, nameOf, targetPhrase, type Target } from '../commands/matching.js';
import { describeItem, itemDef } from './item.js';
import { groupNames } from '../core/grouped-names.js';
import { ALL_AT_ONCE } from './player-items.js';
import { respawnItems, watchRespawns } from '../core/item-respawn.js';
import { USES, type ItemKindDeclaration } from './item-kind-spec.js';

export interface ContainerState {
  open: boolean;
  locked: boolean;
  contents: Ref[];
  vars?: Json;
  [key: string]: Json | undefined;
}

type Handler = (s: ContainerState, m: Msg, ctx: TurnCtx) => ContainerState | void;

/** Its name with "the": "the iron-bound chest" (doors say theirs the same way). */
export const the = (ctx: TurnCtx) => nameOf(ctx.self, ctx.world).replace(/^(a|an|some) /, 'the ');

/** The player who did it is told `self`, the room sees them do it; done by a script (a lever's `open`, no player),
 *  the room sees the thing do it on its own (`alone`). */
function announce(m: Msg, ctx: TurnCtx, self: string, others: string, alone: string): void {
  if (typeof m.player !== 'string') {
    if (m.room) ctx.tellRoom(m.room as Ref, `${capitalize(the(ctx))} ${alone}.`);
    return;
  }
  ctx.tell(m.player, self);
  if (m.room) ctx.tellRoom(m.room as Ref, `${displayName(m.player)} ${others}`, [m.player]);
}

/** Whether one of the keys the player offered (`m.keys`) is this object's key. */
export function keyFits(m: Msg, ctx: TurnCtx): boolean {
  const key = itemDef(ctx.self, ctx.world)?.props.key;
  return typeof key === 'string' && Array.isArray(m.keys) && (m.keys as Json[]).includes(key);
}

/** Hands an item back to the player who tried to put it here. Of a `put all`, the things after the first come
 *  `quiet`: one "The chest is closed." for them all, unless `told` says otherwise. */
function refuse(m: Msg, ctx: TurnCtx, why: string, told = m.quiet !== true): void {
  ctx.send(m.player as Ref, { type: 'receive', item: m.item as Ref, text: null });
  if (told) ctx.tell(m.player as Ref, why);
}

const startingContents = (ctx: TurnCtx): readonly Ref[] => itemDef(ctx.self, ctx.world)?.contents ?? [];

/** take X from a container (or take all from it): shared with corpses (world/kinds/corpse.ts). */
export function containerGive<S extends { open: boolean; contents: Ref[] }>(s: S, m: Msg, ctx: TurnCtx): S | void {
  const player = m.player as Ref;
  if (!s.open) return ctx.tell(player, `${capitalize(the(ctx))} is closed.`);
  const of = m.of as Target | undefined; // all.X: only what X names
  const items = m.all === true ? allOf(s.contents, of, ctx.world).slice(0, ALL_AT_ONCE) : [findTarget(m.target as Target, s.contents, ctx.world).ref].filter((r): r is Ref => !!r);
  if (!items.length) {
    const wanted = m.all === true ? of : m.target as Target;
    return ctx.tell(player, wanted ? `There is no "${targetPhrase(wanted)}" in ${the(ctx)}.` : `${capitalize(the(ctx))} is empty.`);
  }
  const names = listNames(groupNames(items.map((r) => nameOf(r, ctx.world))));
  const told = `You take ${names} from ${the(ctx)}.`;
  // One line for the player however many things move: with the first, the rest quietly.
  items.forEach((item, i) => ctx.send(player, { type: 'receive', item, text: i === 0 ? told : null }));
  if (m.room) ctx.tellRoom(m.room as Ref, `${displayName(player)} takes ${names} from ${the(ctx)}.`, [player]);
  return { ...s, contents: s.contents.filter((r) => !items.includes(r)) };
}

const handlers: Record<string, Handler> = {
  examine(s, m, ctx) {
    const state = s.open ? 'It is open.' : s.locked ? 'It is closed and locked.' : 'It is closed.';
    const inside = !s.open ? '' : s.contents.length
      ? `\nInside you see ${listNames(groupNames(s.contents.map((r) => nameOf(r, ctx.world))))}.` : '\nIt is empty.';
    ctx.tell(m.player as Ref, `${describeItem(ctx.self, ctx.world)}\n${state}${inside}`);
  },
  open(s, m, ctx) {
    if (s.open) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already open.`);
    if (s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is locked.`);
    announce(m, ctx, `You open ${the(ctx)}.`, `opens ${the(ctx)}.`, 'swings open');
    return { ...s, open: true };
  },
  close(s, m, ctx) {
    if (!s.open) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already closed.`);
    announce(m, ctx, `You close ${the(ctx)}.`, `closes ${the(ctx)}.`, 'swings shut');
    return { ...s, open: false };
  },
  unlock(s, m, ctx) {
    if (!s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} isn't locked.`);
    if (!keyFits(m, ctx)) return ctx.tell(m.player as Ref, "You don't have the key.");
    announce(m, ctx, `You unlock ${the(ctx)}. *click*`, `unlocks ${the(ctx)}.`, 'clicks');
    return { ...s, locked: false };
  },
  lock(s, m, ctx) {
    if (s.locked) return ctx.tell(m.player as Ref, `${capitalize(the(ctx))} is already locked.`);
    if (s.open) return ctx.tell(m.player as Ref, `You need to close ${the(ctx)} first.`);
    if (!keyFits(m, ctx)) return ctx.tell(m.player as Ref, "You don't have the key.");
    announce(m, ctx, `You lock ${the(ctx)}. *click*`, `locks ${the(ctx)}.`, 'clicks');
    return { ...s, locked: true };
  },
  /** take X from here (or take all from here) */
  give: containerGive,
  /** Its respawn timer: new copies of the starting contents gone long enough (world/core/item-respawn.ts). */
  respawn(s, m, ctx) {
    return respawnItems(s, m, startingContents(ctx), ctx)?.state;
  },
  /** put X in here: the item is already on its way, so every refusal returns it. */
  accept(s, m, ctx) {
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    if (item === ctx.self) return refuse(m, ctx, "You can't put something inside itself.");
    if (!s.open) return refuse(m, ctx, `${capitalize(the(ctx))} is closed.`);
    const capacity = itemDef(ctx.self, ctx.world)?.props.capacity;
    const name = nameOf(item, ctx.world);
    // Told of every thing that did not fit, quiet or not: a `put all` may fill it halfway.
    if (s.contents.length >= (typeof capacity === 'number' ? capacity : 20)) return refuse(m, ctx, `${capitalize(name)} does not fit: ${the(ctx)} is full.`, true);
    announce(m, ctx, `You put ${name} in ${the(ctx)}.`, `puts ${name} in ${the(ctx)}.`, `takes in ${name}`);
    return { ...s, contents: [...s.contents, item] };
  },
};

export const containerKind: Kind<ContainerState> = {
  name: 'container',
  init(_ref, def) {
    const props = def && def.kind === 'container' ? def : undefined;
    return {
      open: props?.props.open === true,
      locked: props?.props.locked === true,
      contents: props ? [...props.contents] : [],
    };
  },
  handle(state, msg, ctx) {
    const handler = handlers[msg.type];
    const next = handler ? handler(state, msg, ctx) : undefined;
    return next && msg.type !== 'respawn' ? watchRespawns(state, next, startingContents(ctx), ctx) : next;
  },
  here: (s, ref, world) => ({
    name: itemDef(ref, world)?.name ?? ref,
    open: s.open,
    locked: s.locked,
    contents: s.contents.map((r) => ({ ref: r, name: nameOf(r, world) })),
  }),
};

export const containerItemKind: ItemKindDeclaration = {
  props: {
    ...USES,
    open: { type: 'boolean', fallback: false },
    locked: { type: 'boolean', fallback: false },
    key: { type: 'itemId' },
    capacity: { type: 'integer', min: 1, max: 10_000, fallback: 20 },
    contents: { type: 'itemIds' },
  },
  takeable: 'no',
  respawns: false,
  created: { capacity: 20 },
};

import type { Kind } from '../core/kind.js';
import { renderDescription } from '../core/builder-markup.js';
import type { ItemDef, Json, Msg, Ref, TurnCtx, WorldView } from '../core/types.js';
import { RESPAWN, USES, type ItemKindDeclaration } from './item-kind-spec.js';

export interface ItemState {
  vars?: Json;
  [key: string]: Json | undefined;
}

export function itemDef(ref: Ref, world: WorldView): ItemDef | undefined {
  const def = world.def(ref);
  return def && def.kind !== 'room' && def.kind !== 'player' ? def : undefined;
}

/** The examine text every item starts with: its description. */
export function describeItem(ref: Ref, world: WorldView): string {
  const description = itemDef(ref, world)?.description;
  return description === undefined ? 'You see nothing special.' : renderDescription(description.trimEnd());
}

export function examine(extra: (ctx: TurnCtx) => string | undefined) {
  return (_s: ItemState, m: Msg, ctx: TurnCtx): void => {
    const more = extra(ctx);
    ctx.tell(m.player as Ref, more ? `${describeItem(ctx.self, ctx.world)}\n${more}` : describeItem(ctx.self, ctx.world));
  };
}

/** Plain items and keys: they can be looked at, carried, dropped. */
export const itemKind: Kind<ItemState> = {
  name: 'item',
  init: () => ({}),
  handle(state, msg, ctx) {
    if (msg.type === 'examine') examine(() => undefined)(state, msg, ctx);
    // A copy eaten while its place was filled (world/core/item-respawn.ts `regrow`): gone, and its record says so for the audit.
    if (msg.type === 'eaten' && state.eaten !== true) return { ...state, eaten: true };
  },
  here: (_s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref }),
};

/** A plain thing, and a key (the same behaviour; containers and doors ask for keys by id). */
export const itemItemKind: ItemKindDeclaration = { props: { respawn: RESPAWN, ...USES }, takeable: 'yes', respawns: true, created: {} };
export const keyItemKind: ItemKindDeclaration = itemItemKind;

import type { Kind } from '../core/kind.js';
import type { TurnCtx } from '../core/types.js';
import { examine, itemDef, type ItemState } from './item.js';
import { slotOf } from '../core/equipment.js';
import { RESPAWN, VALUE, type ItemKindDeclaration } from './item-kind-spec.js';

/** What `examine` adds for armour: where it is worn and what it turns aside. */
function armorFacts(ctx: TurnCtx): string | undefined {
  const slot = slotOf(ctx.self, ctx.world);
  const armor = itemDef(ctx.self, ctx.world)?.props.armor;
  return slot ? `It is worn: ${slot}. It turns aside ${typeof armor === 'number' ? armor : 0} damage a blow.` : undefined;
}

/** Armour (world/core/equipment.ts): carried like any item, worn with `wear`. */
export const armorKind: Kind<ItemState> = {
  name: 'armor',
  init: () => ({}),
  handle(state, msg, ctx) {
    if (msg.type === 'examine') examine(armorFacts)(state, msg, ctx);
  },
  here: (_s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref }),
};

/** Worn in one slot (world/core/equipment.ts); `armor` is the damage it turns aside from every blow. */
export const armorItemKind: ItemKindDeclaration = {
  props: {
    slot: { type: 'slot', required: true },
    armor: { type: 'number', min: 0, max: 10_000, fallback: 1 },
    respawn: RESPAWN,
    value: VALUE,
  },
  takeable: 'yes',
  respawns: true,
  created: { slot: 'body', armor: 1 },
};

import type { Ref } from '../core/types.js';
import type { ItemDraft } from './world-items.js';
import type { Spot } from './world-schema.js';

// The whole-world checks of shops (world/kinds/npc-shop.ts): a shopkeeper is a
// creature with `shop: true`; everything it starts with is stock, so each must
// have a `value` (its price); a shopkeeper is never fought; `restock` and `holds` belong to shops.

type Fail = (spot: Spot, message: string) => void;

export function linkShops(items: Map<Ref, ItemDraft>, fail: Fail): void {
  for (const item of items.values()) {
    const props = item.def.props;
    if (props.shop !== true) {
      for (const key of ['restock', 'holds']) {
        if (props[key] !== undefined) fail(item.spot, `creature '${item.def.id}' has a ${key} but is no shop (add shop: true)`);
      }
      continue;
    }
    props.peaceful = true;
    for (const stock of item.def.contents) {
      const def = items.get(stock)?.def;
      if (def && typeof def.props.value !== 'number') fail(item.spot, `item '${def.id}' is stock of shop '${item.def.id}', so it needs a value (its price)`);
    }
  }
}

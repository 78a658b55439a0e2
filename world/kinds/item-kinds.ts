import type { Json } from '../core/types.js';
import type { Kind } from '../core/kind.js';
import type { ItemKindDeclaration } from './item-kind-spec.js';
import { itemKind, itemItemKind, keyItemKind } from './item.js';
import { containerItemKind, containerKind } from './container.js';
import { weaponItemKind, weaponKind } from './weapon.js';
import { magicWeaponItemKind, magicWeaponKind } from './magic-weapon.js';
import { npcItemKind, npcKind } from './npc.js';
import { corpseItemKind, corpseKind } from './corpse.js';
import { doorItemKind, doorKind } from './door.js';
import { armorItemKind, armorKind } from './armor.js';

// The one list of item kinds: a new kind is its own file (its behaviour, a `Kind`, and its
// declaration, an `ItemKindDeclaration`) and a line here. The loader's checks and defaults
// (world/files/world-items.ts), which kinds come back after their area's `respawn.items`
// (world/files/world-areas.ts), what `@create` makes (world/files/building-edits.ts) and which
// behaviour a turn runs (world/kinds/index.ts) all read it.

/** The kinds a world file may name, in the order `mud world check` lists them. */
export const ITEM_KIND_NAMES = ['item', 'container', 'weapon', 'magic_weapon', 'key', 'npc', 'corpse', 'door', 'armor'] as const;
export type ItemKindName = (typeof ITEM_KIND_NAMES)[number];

export interface ItemKindEntry extends ItemKindDeclaration {
  behaviour: Kind<Json>;
}

const entry = <S>(declaration: ItemKindDeclaration, behaviour: Kind<S>): ItemKindEntry => ({ ...declaration, behaviour: behaviour as unknown as Kind<Json> });

export const ITEM_KINDS: Readonly<Record<ItemKindName, ItemKindEntry>> = {
  item: entry(itemItemKind, itemKind),
  container: entry(containerItemKind, containerKind),
  weapon: entry(weaponItemKind, weaponKind),
  magic_weapon: entry(magicWeaponItemKind, magicWeaponKind),
  key: entry(keyItemKind, itemKind),
  npc: entry(npcItemKind, npcKind),
  corpse: entry(corpseItemKind, corpseKind),
  door: entry(doorItemKind, doorKind),
  armor: entry(armorItemKind, armorKind),
};

export function isItemKind(name: string): name is ItemKindName {
  return (ITEM_KIND_NAMES as readonly string[]).includes(name);
}

import type { Json } from '../core/types.js';

// What an item kind declares besides its behaviour: the properties a world file may give an item of
// the kind (checked by `mud world check`, with defaults), whether such items are taken by default,
// whether they come back after their area's `respawn.items`, and what `@create` starts one with.
// The registry of kinds is world/kinds/item-kinds.ts.

export interface PropSpec {
  type: 'slot' | 'boolean' | 'integer' | 'number' | 'duration' | 'itemId' | 'itemIds' | 'roomIds' | 'text' | 'baseIds';
  min?: number;
  max?: number;
  required?: boolean;
  fallback?: Json;
}

export interface ItemKindDeclaration {
  /** What the kind adds to an item, with defaults. `contents` lands in ItemDef.contents. */
  props: Record<string, PropSpec>;
  /** `takeable` unless the world file says: `yes`; `no` (a file may say `takeable: true`); `never`. */
  takeable: 'yes' | 'no' | 'never';
  /** Taken from where it starts, a new one lies there after the area's `respawn.items` (unless its own `respawn`). */
  respawns: boolean;
  /** What `@create <kind>` gives a new one so that it loads; absent: building does not make this kind. */
  created?: Record<string, Json>;
}

/** How long after it is taken from where it starts a new one lies there, or `never`;
 *  unset: its area's `respawn.items` (settled in world/files/world-areas.ts). */
export const RESPAWN: PropSpec = { type: 'duration' };

/** What a shop asks for it (world/kinds/npc-shop.ts); it buys it back for half. Unset: no shop deals in it. */
export const VALUE: PropSpec = { type: 'integer', min: 1, max: 1_000_000 };

/** What a player can do with a thing (world/kinds/player-acts.ts): the text they read, or get
 *  as they eat or drink it. What is eaten goes back to the room it starts in (world/files/world-uses.ts). */
export const USES: Record<string, PropSpec> = { read: { type: 'text' }, eat: { type: 'text' }, drink: { type: 'text' }, value: VALUE };

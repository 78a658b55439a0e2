import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx, WorldView } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import { examine, itemDef, type ItemState } from './item.js';
import { RESPAWN, USES, type ItemKindDeclaration, type PropSpec } from './item-kind-spec.js';

/** A weapon's condition (0..100) scales the damage it deals: a slightly
 *  damaged sword is still a sword, just a worse one. */
export function effectiveDamage(ref: Ref, world: WorldView): { damage: number; max: number; condition: number } {
  const props = itemDef(ref, world)?.props ?? {};
  const max = typeof props.damage === 'number' ? props.damage : 1;
  const condition = typeof props.condition === 'number' ? props.condition : 100;
  return { damage: Math.max(1, Math.round((max * condition) / 100)), max, condition };
}

export function conditionWords(condition: number): string {
  if (condition >= 100) return 'in perfect condition';
  if (condition >= 85) return 'in good condition';
  if (condition >= 50) return 'slightly damaged';
  if (condition >= 20) return 'badly damaged';
  return 'almost broken';
}

export function weaponFacts(ctx: TurnCtx): string {
  const { damage, max, condition } = effectiveDamage(ctx.self, ctx.world);
  return `It is ${conditionWords(condition)} (${condition}%): it would deal ${damage} of its ${max} damage.`;
}

export function wieldLine(ctx: TurnCtx): string | undefined {
  const { condition } = effectiveDamage(ctx.self, ctx.world);
  if (condition >= 85) return undefined;
  return condition >= 50 ? 'The blade wobbles a little in its loose hilt.' : 'The blade rattles alarmingly in its hilt.';
}

/** A blow in a fight (world/kinds/combat.ts): the damage its condition allows, to the creature.
 *  `before`: a line of the weapon's own for the striker, told with the round (one prompt per round). */
export function strike(m: Msg, ctx: TurnCtx, bonus = 0, before?: string): void {
  const { damage } = effectiveDamage(ctx.self, ctx.world);
  // The striker's level adds to every blow (world/core/progress.ts).
  const level = typeof m.bonus === 'number' ? m.bonus : 0;
  const hit = { type: 'hit', player: m.player as Ref, room: m.room as Ref, damage: damage + bonus + level, with: itemDef(ctx.self, ctx.world)?.name ?? 'a blade' };
  ctx.send(m.npc as Ref, before ? { ...hit, before } : hit);
}

export const weaponKind: Kind<ItemState> = {
  name: 'weapon',
  init: () => ({}),
  handle(state, msg, ctx) {
    if (msg.type === 'examine') return examine(weaponFacts)(state, msg, ctx);
    if (msg.type === 'strike') return strike(msg, ctx);
    if (msg.type === 'wielded') {
      const line = wieldLine(ctx);
      if (line) ctx.tell(msg.player as Ref, line);
      if (msg.room) {
        ctx.tellRoom(msg.room as Ref, `${displayName(msg.player as Ref)} wields ${itemDef(ctx.self, ctx.world)?.name}.`, [msg.player as Ref]);
      }
    }
  },
  here: (_s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref } as Json),
};

export const WEAPON_PROPS: Record<string, PropSpec> = {
  ...USES,
  damage: { type: 'number', min: 0, max: 10_000, required: true },
  condition: { type: 'number', min: 0, max: 100, fallback: 100 },
  respawn: RESPAWN,
};

export const weaponItemKind: ItemKindDeclaration = { props: WEAPON_PROPS, takeable: 'yes', respawns: true, created: { damage: 4 } };

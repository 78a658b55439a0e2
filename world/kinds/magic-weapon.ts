import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import { describeItem, itemDef } from './item.js';
import { strike, WEAPON_PROPS, weaponFacts } from './weapon.js';
import { styled } from '../core/text-style.js';
import type { ItemKindDeclaration } from './item-kind-spec.js';

/** A magic weapon keeps its charges and its cooldown in its own state: each
 *  wield spends a charge to make it glow, and it needs time to gather itself. */
export interface MagicWeaponState {
  charges: number;
  readyAt: number;
  glows: number;
  vars?: Json;
  [key: string]: Json | undefined;
}

function cooldownMs(ctx: TurnCtx): number {
  const c = itemDef(ctx.self, ctx.world)?.props.cooldown;
  return (typeof c === 'number' ? c : 10) * 1000;
}

function wielded(s: MagicWeaponState, m: Msg, ctx: TurnCtx): MagicWeaponState | void {
  const player = m.player as Ref;
  const name = itemDef(ctx.self, ctx.world)?.name ?? 'the blade';
  const room = m.room as Ref | undefined;
  if (room) ctx.tellRoom(room, `${displayName(player)} wields ${name}.`, [player]);
  if (s.charges <= 0) {
    ctx.tell(player, 'The runes along the blade stay dark. Its magic is spent.');
    return;
  }
  if (ctx.now() < s.readyAt) {
    ctx.tell(player, 'The runes flicker faintly, still gathering their strength.');
    return;
  }
  const charges = s.charges - 1;
  ctx.tell(player, `The blade flares with a pale blue light and hums a low, pleased note in your hand. (${charges} charge${charges === 1 ? '' : 's'} left)`);
  if (room) ctx.tellRoom(room, `${name.charAt(0).toUpperCase()}${name.slice(1)} in ${displayName(player)}'s hand glows blue and hums.`, [player]);
  return { ...s, charges, readyAt: ctx.now() + cooldownMs(ctx), glows: s.glows + 1 };
}

/** Each blow spends a charge for its bonus damage while charges last; then it is a plain blade. */
function magicStrike(s: MagicWeaponState, m: Msg, ctx: TurnCtx): MagicWeaponState | void {
  if (s.charges <= 0) return strike(m, ctx);
  const def = itemDef(ctx.self, ctx.world);
  const bonus = typeof def?.props.bonus === 'number' && def.props.bonus > 0 ? def.props.bonus : (def?.props.damage as number | undefined) ?? 1;
  const charges = s.charges - 1;
  strike(m, ctx, bonus, styled('combat', `The runes blaze as you strike! (${charges} charge${charges === 1 ? '' : 's'} left)`));
  return { ...s, charges };
}

function examine(s: MagicWeaponState, m: Msg, ctx: TurnCtx): void {
  const ready = ctx.now() >= s.readyAt;
  const runes = s.charges <= 0
    ? 'The runes on the blade are dark and cold.'
    : ready
      ? `The runes on the blade pulse softly: ${s.charges} charge${s.charges === 1 ? '' : 's'} remain.`
      : `The runes glimmer, recovering: ${s.charges} charge${s.charges === 1 ? '' : 's'} remain.`;
  ctx.tell(m.player as Ref, `${describeItem(ctx.self, ctx.world)}\n${weaponFacts(ctx)}\n${runes}`);
}

export const magicWeaponKind: Kind<MagicWeaponState> = {
  name: 'magic_weapon',
  init(ref, def) {
    const charges = def && def.kind === 'magic_weapon' && typeof def.props.charges === 'number' ? def.props.charges : 3;
    return { charges, readyAt: 0, glows: 0 };
  },
  handle(state, msg, ctx) {
    if (msg.type === 'wielded') return wielded(state, msg, ctx);
    if (msg.type === 'examine') return examine(state, msg, ctx);
    if (msg.type === 'strike') return magicStrike(state, msg, ctx);
  },
  here: (s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref, charges: s.charges }),
};

export const magicWeaponItemKind: ItemKindDeclaration = {
  props: {
    ...WEAPON_PROPS,
    charges: { type: 'integer', min: 0, max: 1_000_000, required: true },
    cooldown: { type: 'number', min: 0, max: 86_400, fallback: 10 },
    /** Extra damage a blow deals while a charge is spent on it. */
    bonus: { type: 'number', min: 0, max: 10_000, fallback: 0 },
  },
  takeable: 'yes',
  respawns: true,
  created: { damage: 4, charges: 3 },
};

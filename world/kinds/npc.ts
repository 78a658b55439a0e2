import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { capitalize, displayName, nameOf } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { describeItem, itemDef } from './item.js';
import { considered, worthOf } from '../core/progress.js';
import { npcTalk } from './npc-talk.js';
import { carried, coinsOf, sendCoins, withCoins } from '../core/coins.js';
import { isShop, shopHandlers, shopTurn } from './npc-shop.js';
import { RESPAWN, type ItemKindDeclaration } from './item-kind-spec.js';
import { coinsFallLine, lootLine } from './falling-loot.js';

/** A creature: its hit points, whether it lies dead (until its respawn timer
 *  fires), and its loot, held like a container's contents until it dies. */
export interface NpcState {
  hp: number;
  dead: boolean;
  contents: Ref[];
  /** The room it was last seen in (told by the room on an arrival, a fight, a wander). */
  room: Ref | null;
  /** Its pending wander timer, while it wanders. */
  wandering?: string | null;
  /** Its purse (world/core/coins.ts): dropped where it dies, filled again when it comes back. */
  coins?: number;
  /** Every coin its purse was filled with beyond the world file's, for the coin audit (ops/coin-audit.ts). */
  minted?: number;
  /** Asleep (its script's `doze`, until its `rouse`): it strikes no one back, and neither wanders nor follows. */
  asleep?: boolean;
  /** The player it follows from room to room (its script's `follow` message sets it). */
  following?: Ref | null;
  vars?: Json;
  [key: string]: Json | undefined;
}

type Handler = (s: NpcState, m: Msg, ctx: TurnCtx) => NpcState | void;

function prop(ctx: TurnCtx, name: string, fallback: number): number {
  const v = itemDef(ctx.self, ctx.world)?.props[name];
  return typeof v === 'number' ? v : fallback;
}

const maxHp = (ctx: TurnCtx) => prop(ctx, 'hp', 10);
/** What the world file puts in its purse (world/core/coins.ts). */
const purse = (ctx: TurnCtx) => prop(ctx, 'coins', 0);

/** Back from death: its purse filled again to what the world file says, the new coins counted as minted. */
function refill(s: NpcState, ctx: TurnCtx): NpcState {
  const more = purse(ctx) - coinsOf(s);
  if (more <= 0) return s;
  return { ...withCoins(s, more), minted: (typeof s.minted === 'number' ? s.minted : 0) + more };
}
const wanders = (ctx: TurnCtx) => Array.isArray(itemDef(ctx.self, ctx.world)?.props.wander);

/** How hurt it looks, in words: a fight reads as a story, not a spreadsheet. */
export function woundWords(hp: number, max: number): string {
  const f = hp / max;
  if (f >= 1) return 'is unhurt';
  if (f >= 0.7) return 'has a few scratches';
  if (f >= 0.4) return 'is bleeding';
  if (f >= 0.15) return 'is badly hurt';
  return 'is close to death';
}

const handlers: Record<string, Handler> = {
  ...npcTalk,
  /** A player wants to fight it: it answers with its ref, and the player's rounds begin. */
  attack(s, m, ctx) {
    const player = m.player as Ref;
    const name = capitalize(nameOf(ctx.self, ctx.world));
    if (s.dead) return ctx.tell(player, styled('error', `${name} is already dead.`));
    if (itemDef(ctx.self, ctx.world)?.props.peaceful === true) return ctx.tell(player, styled('error', `${name} is not someone you can fight.`));
    ctx.send(player, { type: 'engage', npc: ctx.self, room: m.room as Ref });
  },
  /** A blow: the damage its weapon dealt. It hits back, or dies and drops its loot where it fell.
   *  The striker hears the whole round from one turn of their own (`struck`), onlookers both sides here. */
  hit(s, m, ctx) {
    const player = m.player as Ref;
    const room = m.room as Ref;
    const name = nameOf(ctx.self, ctx.world);
    if (s.dead) return ctx.send(player, { type: 'struck', npc: ctx.self, damage: 0, dead: true });
    if (s.room && s.room !== room) return ctx.send(player, { type: 'struck', npc: ctx.self, damage: 0, gone: true });
    const damage = Math.max(0, Math.round(m.damage as number));
    const max = maxHp(ctx);
    const hp = Math.max(0, s.hp - damage);
    const before = typeof m.before === 'string' ? `${m.before}\n` : '';
    const striker = displayName(player);
    if (hp > 0) {
      // Asleep, it sleeps on through the blow (its script wakes it: `rouse`).
      const blow = s.asleep === true ? 0 : Math.round(prop(ctx, 'damage', 2) * (0.5 + ctx.random()));
      const text = styled('combat', `You hit ${name} with ${m.with as string} for ${damage}. It ${woundWords(hp, max)} (${hp}/${max}).`);
      const back = s.asleep === true ? `${capitalize(name)} sleeps on.` : blow > 0 ? `${capitalize(name)} hits ${striker}.` : `${capitalize(name)} misses ${striker}.`;
      ctx.tellRoom(room, styled('combat', `${striker} hits ${name}.\n${back}`), [player]);
      ctx.send(player, { type: 'struck', npc: ctx.self, damage: blow, dead: false, text: `${before}${text}`, ...(s.asleep === true ? { asleep: true } : {}) });
      return { ...s, hp, room };
    }
    ctx.tellRoom(room, styled('combat', `${striker} hits ${name}. It collapses, dead.`), [player]);
    // The loot moves by the item protocol, one committed step per item: it exists exactly once throughout.
    // The striker hears it fall with the blow, after it (falling-loot.ts); the room tells the others.
    for (const item of s.contents) ctx.send(room, { type: 'loot', item, from: ctx.self, told: player });
    sendCoins(ctx, room, coinsOf(s), { from: ctx.self, told: player });
    const falls = s.contents.map((item) => `\n${lootLine(item, ctx.self, ctx.world)}`).join('') + (coinsOf(s) > 0 ? `\n${coinsFallLine(coinsOf(s), ctx.self, ctx.world)}` : '');
    ctx.send(room, { type: 'fell', npc: ctx.self });
    // Its own `respawn` or its area's (settled by the loader); none: it stays dead.
    const respawn = itemDef(ctx.self, ctx.world)?.props.respawn;
    if (typeof respawn === 'number') ctx.after(respawn * 1000, { type: 'respawn' });
    const text = styled('combat', `You hit ${name} with ${m.with as string} for ${damage}. It collapses, dead.`);
    ctx.send(player, { type: 'struck', npc: ctx.self, damage: 0, dead: true, killed: true, xp: worthOf(ctx.self, ctx), text: `${before}${text}${falls}` });
    return { ...withCoins(s, -coinsOf(s)), hp: 0, dead: true, contents: [], room };
  },
  /** consider: how a fight with this player would go (world/core/progress.ts). */
  consider(s, m, ctx) {
    const name = capitalize(nameOf(ctx.self, ctx.world));
    const player = m.player as Ref;
    if (s.dead) return ctx.tell(player, `${name} is dead.`);
    if (itemDef(ctx.self, ctx.world)?.props.peaceful === true) return ctx.tell(player, `${name} is not someone you can fight.`);
    if (s.asleep === true) return ctx.tell(player, `${name} is asleep: while it sleeps, it strikes no one back.`);
    ctx.tell(player, considered(s.hp, prop(ctx, 'damage', 2), m, ctx));
  },
  /** Its script puts it to sleep (a builder's night, a lull, a spell): it strikes no one back until `rouse`. */
  doze(s, _m, ctx) {
    if (s.asleep === true) return;
    if (s.room && !s.dead) ctx.tellRoom(s.room, `${capitalize(nameOf(ctx.self, ctx.world))} settles into a deep sleep.`);
    return { ...s, asleep: true };
  },
  /** Its script wakes it. */
  rouse(s, _m, ctx) {
    if (s.asleep !== true) return;
    if (s.room && !s.dead) ctx.tellRoom(s.room, `${capitalize(nameOf(ctx.self, ctx.world))} stirs, and wakes.`);
    const { asleep: _woken, ...awake } = s;
    return awake as NpcState;
  },
  respawn(s, _m, ctx) {
    if (!s.dead) return;
    if (s.room) {
      ctx.send(s.room, { type: 'rose', npc: ctx.self });
      ctx.tellRoom(s.room, styled('combat', `${capitalize(nameOf(ctx.self, ctx.world))} is here again, whole and angry.`));
      // Its loot respawns with it, if nobody took it: items are never minted, only returned.
      const loot = (itemDef(ctx.self, ctx.world)?.contents ?? []).filter((r) => !s.contents.includes(r));
      if (loot.length > 0) ctx.send(s.room, { type: 'reclaim', npc: ctx.self, items: loot });
    }
    return { ...refill(s, ctx), hp: maxHp(ctx), dead: false };
  },
  /** Coins given to it (a tip, a shop's takings): into its purse. */
  coins(s, m, ctx) {
    const n = carried(m);
    if (n === 0) return;
    if (m.gift === true && typeof m.player === 'string') ctx.tell(m.player, `You give ${n === 1 ? 'a coin' : `${n} coins`} to ${nameOf(ctx.self, ctx.world)}.`);
    return withCoins(s, n);
  },
  restock(s, m) {
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    return { ...s, contents: [...s.contents, item] };
  },
  /** Someone arrived where it is: it learns its room, and a wanderer starts wandering. */
  greet(s, m, ctx) {
    const room = m.room as Ref;
    if (s.room === room && (s.wandering || !wanders(ctx))) return;
    return { ...s, room, wandering: s.wandering ?? (wanders(ctx) ? ctx.after(prop(ctx, 'wander_every', 30) * 1000, { type: 'wander' }) : null) };
  },
  /** Its script asks it to follow the player whose action ran the hook (or, with no player, to stop). */
  follow(s, m) {
    const following = typeof m.player === 'string' ? m.player : null;
    if (s.following === following) return;
    return { ...s, following };
  },
  /** Someone left the room it is in: if it follows them, it goes along (the rooms hand it on). */
  farewell(s, m, ctx) {
    if (s.dead || s.asleep === true || !s.following || s.following !== m.player || typeof m.to !== 'string') return;
    ctx.send(m.room as Ref, { type: 'release', item: ctx.self, to: m.to });
  },
  arrived(s, m) {
    if (s.room === m.room) return;
    return { ...s, room: m.room as Ref };
  },
  /** Moves to a neighbouring room it is allowed in (the rooms hand it on), then waits for the next move. */
  wander(s, _m, ctx) {
    const next = ctx.after(prop(ctx, 'wander_every', 30) * 1000, { type: 'wander' });
    const here = s.room ? ctx.world.def(s.room) : undefined;
    const allowed = (itemDef(ctx.self, ctx.world)?.props.wander ?? []) as Ref[];
    const ways = here?.kind === 'room' ? Object.values(here.exits).filter((to) => allowed.includes(to)) : [];
    if (!s.dead && s.asleep !== true && s.room && ways.length > 0) ctx.send(s.room, { type: 'release', item: ctx.self, to: ways[Math.floor(ctx.random() * ways.length)] });
    return { ...s, wandering: next };
  },
  /** Taking things out of it (`get all from body`): its loot fell where it died, and a living one keeps its own. */
  give(s, m, ctx) {
    if (m.quiet === true) return;
    const name = nameOf(ctx.self, ctx.world);
    ctx.tell(m.player as Ref, s.dead ? `The body of ${name} holds nothing: what it carried fell to the ground.` : `You can't take things out of ${name}.`);
  },
  examine(s, m, ctx) {
    const name = capitalize(nameOf(ctx.self, ctx.world));
    const how = s.dead ? `${name} lies dead.` : `${name} ${woundWords(s.hp, maxHp(ctx))}${s.asleep === true ? ', and is fast asleep' : ''}.`;
    ctx.tell(m.player as Ref, `${describeItem(ctx.self, ctx.world)}\n${how}`);
  },
};

export const npcKind: Kind<NpcState> = {
  name: 'npc',
  handles: [...Object.keys(handlers), ...Object.keys(shopHandlers)],
  init(ref, def) {
    const hp = def && def.kind === 'npc' && typeof def.props.hp === 'number' ? def.props.hp : 10;
    const contents = def && def.kind === 'npc' ? def.contents : [];
    const coins = def && def.kind === 'npc' && typeof def.props.coins === 'number' ? def.props.coins : 0;
    return coins > 0 ? { hp, dead: false, contents, room: null, coins } : { hp, dead: false, contents, room: null };
  },
  handle(state, msg, ctx) {
    if (isShop(ctx.self, ctx)) return shopTurn(state, msg, ctx, handlers[msg.type]);
    return handlers[msg.type]?.(state, msg, ctx);
  },
  here: (s, ref, world) => ({ name: itemDef(ref, world)?.name ?? ref, hp: s.hp, dead: s.dead, contents: s.contents }),
};

/** A creature in a room: fought, killed, back after `respawn` (unset: its area's `respawn.npcs`;
 *  `never`: it stays dead; world/files/world-areas.ts); `contents` is its loot. */
export const npcItemKind: ItemKindDeclaration = {
  props: {
    hp: { type: 'integer', min: 1, max: 1_000_000_000, required: true },
    damage: { type: 'number', min: 0, max: 10_000, fallback: 2 },
    respawn: RESPAWN,
    contents: { type: 'itemIds' },
    /** Rooms it may wander between (through their exits), and how often it moves. */
    wander: { type: 'roomIds' },
    wander_every: { type: 'number', min: 1, max: 86_400, fallback: 30 },
    /** Experience for killing it; default its hp plus 5 times its damage (world/core/progress.ts). */
    xp: { type: 'integer', min: 0, max: 1_000_000_000 },
    /** Items (by id) it keeps when a player gives it one; anything else it hands back. */
    accepts: { type: 'baseIds' },
    /** Gold coins it carries (world/core/coins.ts): dropped where it dies, its purse filled again when it comes back. */
    coins: { type: 'integer', min: 0, max: 1_000_000 },
    /** A shopkeeper (world/kinds/npc-shop.ts): sells its `contents` (its stock) for their `value`, buys
     *  things with a value for half from its `coins`, never fought; what it sold comes back after `restock`. */
    shop: { type: 'boolean' },
    restock: RESPAWN,
    /** The most things a shop holds (default SHOP_LIMIT, world/kinds/npc-shop.ts): beyond it, it buys nothing more. */
    holds: { type: 'integer', min: 1, max: 10_000 },
    /** Not to be fought (a shopkeeper, a quest giver): `attack` is refused. */
    peaceful: { type: 'boolean', fallback: false },
  },
  takeable: 'no',
  // A creature comes back by its own `respawn` (or its area's `respawn.npcs`), not as an item does.
  respawns: false,
  created: { hp: 10, damage: 2 },
};

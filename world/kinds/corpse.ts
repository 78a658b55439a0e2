import type { Kind } from '../core/kind.js';
import type { ItemDef, Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { refName } from '../core/types.js';
import { capitalize, listNames, nameOf } from '../commands/matching.js';
import { groupNames } from '../core/grouped-names.js';
import { spawnedRef } from '../core/spawned-refs.js';
import { describeItem, itemDef } from './item.js';
import { containerGive } from './container.js';
import { carried, coinsOf, coinWords, sendCoins, withCoins } from '../core/coins.js';
import type { ItemKindDeclaration } from './item-kind-spec.js';

// A fallen player's body: what they carried lies in it (moved there one item
// per `lay` message, each applied once), anyone may loot it (`get all from
// corpse`), and after a while it crumbles and what is left falls to the room.
// It is an item made at the death, like a respawn's copy (world/core/spawned-refs.ts):
// `item/corpse-ann-<hash>` reads as the world's `corpse` item (or the built-in
// one below) and is named for whose it was (world/commands/matching.ts `nameOf`). A crumbled corpse keeps its record,
// marked `decayed`, so the item audit knows it is gone on purpose (ops/item-audit.ts).

export const CORPSE: Ref = 'item/corpse';
/** How long a corpse lies before it crumbles, unless the world's `corpse` item says (`decay`). */
export const CORPSE_DECAY_S = 300;

/** The corpse every world has: a world file may define its own `corpse` (kind: corpse) for other words or decay. */
export const CORPSE_DEF: ItemDef = {
  kind: 'corpse', ref: CORPSE, id: 'corpse', name: 'a corpse', keywords: ['corpse', 'body', 'remains'],
  description: 'A body, lying still where it fell. Whatever it carried is still with it, for now.',
  takeable: false, props: { decay: CORPSE_DECAY_S }, contents: [],
};

/** The corpse a player's death (message `msgId`) leaves: the same on a re-run of that turn. */
export function corpseOf(player: Ref, msgId: string): Ref {
  return spawnedRef(`${CORPSE}-${refName(player)}`, msgId);
}

export interface CorpseState {
  open: boolean;
  contents: Ref[];
  /** The room it lies in (from its `spawned` message). */
  room?: Ref;
  decayTimer?: string;
  /** Crumbled: its contents went to the room, and the room let it go. */
  decayed?: boolean;
  vars?: Json;
  [key: string]: Json | undefined;
}

type Handler = (s: CorpseState, m: Msg, ctx: TurnCtx) => CorpseState | void;

/** Seconds until it crumbles; null when the world's corpse says `decay: never`. */
function decaySeconds(ctx: TurnCtx): number | null {
  const d = itemDef(ctx.self, ctx.world)?.props.decay;
  return d === null ? null : typeof d === 'number' ? d : CORPSE_DECAY_S;
}

const handlers: Record<string, Handler> = {
  /** Made at a death: it learns its room and starts to decay. */
  spawned(s, m, ctx) {
    if (s.room || s.decayed) return;
    const decay = decaySeconds(ctx);
    return { ...s, room: m.room as Ref, ...(decay === null ? {} : { decayTimer: ctx.after(decay * 1000, { type: 'decay' }) }) };
  },
  /** One thing its owner carried. After it crumbled (a late redelivery), the thing goes to the room. */
  lay(s, m, ctx) {
    const item = m.item as Ref;
    if (s.contents.includes(item)) return;
    if (s.decayed && s.room) return ctx.send(s.room, { type: 'loot', item, from: ctx.self, quiet: true });
    return { ...s, contents: [...s.contents, item] };
  },
  /** take X (or all) from it: with `all`, its coins too. */
  give(s, m, ctx) {
    const coins = m.all === true && !m.of ? coinsOf(s) : 0; // all.X takes only what X names
    if (coins === 0) return containerGive(s, m, ctx);
    sendCoins(ctx, m.player as Ref, coins, { text: `You take ${coinWords(coins)} from ${nameOf(ctx.self, ctx.world)}.` });
    const rest = withCoins(s, -coins);
    return rest.contents.length ? containerGive(rest, m, ctx) ?? rest : rest;
  },
  /** The coins its owner carried. After it crumbled (a late redelivery), they go to the room. */
  coins(s, m, ctx) {
    const n = carried(m);
    if (n === 0) return;
    if (s.decayed && s.room) return sendCoins(ctx, s.room, n, { from: ctx.self, quiet: true });
    return withCoins(s, n);
  },
  takeCoins(s, m, ctx) {
    const have = coinsOf(s);
    const n = typeof m.amount === 'number' ? m.amount : have;
    if (have === 0 || n > have) return ctx.tell(m.player as Ref, have ? `There are only ${have} coins on ${nameOf(ctx.self, ctx.world)}.` : `There are no coins on ${nameOf(ctx.self, ctx.world)}.`);
    sendCoins(ctx, m.player as Ref, n, { text: `You take ${coinWords(n)} from ${nameOf(ctx.self, ctx.world)}.` });
    return withCoins(s, -n);
  },
  /** Nothing goes into a corpse: the thing goes back to whoever tried. */
  accept(_s, m, ctx) {
    ctx.send(m.player as Ref, { type: 'receive', item: m.item as Ref, text: null });
    if (m.quiet !== true) ctx.tell(m.player as Ref, `You can't put things in ${nameOf(ctx.self, ctx.world)}.`); // once for a `put all`
  },
  examine(s, m, ctx) {
    const things = [...groupNames(s.contents.map((r) => nameOf(r, ctx.world))), ...(coinsOf(s) ? [coinWords(coinsOf(s))] : [])];
    const inside = things.length ? `It holds ${listNames(things)}.` : 'Nothing is left on it.';
    ctx.tell(m.player as Ref, `${describeItem(ctx.self, ctx.world)}\n${inside}`);
  },
  /** Its time is up: what it holds falls to the room, and the room lets it go. */
  decay(s, m, ctx) {
    if (s.decayed || m.id !== s.decayTimer || !s.room) return;
    const things = [...groupNames(s.contents.map((r) => nameOf(r, ctx.world))), ...(coinsOf(s) ? [coinWords(coinsOf(s))] : [])];
    const left = things.length ? `, leaving ${listNames(things)}` : '';
    ctx.tellRoom(s.room, `${capitalize(nameOf(ctx.self, ctx.world))} crumbles to dust${left}.`);
    for (const item of s.contents) ctx.send(s.room, { type: 'loot', item, from: ctx.self, quiet: true });
    sendCoins(ctx, s.room, coinsOf(s), { from: ctx.self, quiet: true });
    ctx.send(s.room, { type: 'crumble', item: ctx.self });
    return { ...withCoins(s, -coinsOf(s)), contents: [], decayed: true };
  },
};

export const corpseKind: Kind<CorpseState> = {
  name: 'corpse',
  init: () => ({ open: true, contents: [] }),
  handle(state, msg, ctx) {
    return handlers[msg.type]?.(state, msg, ctx);
  },
  here: (s, ref, world) => ({ name: nameOf(ref, world), contents: s.contents.map((r) => ({ ref: r, name: nameOf(r, world) })) }),
};

/** The one item `corpse`: the words a fallen player's body reads with, and how long it lies before it
 *  crumbles. A world without one gets the built-in. */
export const corpseItemKind: ItemKindDeclaration = { props: { decay: { type: 'duration' } }, takeable: 'never', respawns: false };

import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx, WorldView } from '../core/types.js';
import { refKind } from '../core/types.js';
import { nameOf } from '../commands/matching.js';
import { playerKind } from './player.js';
import { roomKind } from './room.js';
import { CHAT, channelKind } from './channel.js';
import { mailboxKind } from './mailbox.js';
import { ITEM_KIND_NAMES, ITEM_KINDS } from './item-kinds.js';

const KINDS: Record<string, Kind<Json>> = {
  room: roomKind as unknown as Kind<Json>,
  player: playerKind as unknown as Kind<Json>,
  channel: channelKind as unknown as Kind<Json>,
  mailbox: mailboxKind as unknown as Kind<Json>,
  ...Object.fromEntries(ITEM_KIND_NAMES.map((k) => [k, ITEM_KINDS[k].behaviour])),
};

/** The kind behind a ref: players and mailboxes by prefix, rooms and items by their definition. */
export function kindOf(ref: Ref, world: WorldView): Kind<Json> | undefined {
  if (refKind(ref) === 'player') return KINDS.player;
  if (refKind(ref) === 'channel') return ref === CHAT ? KINDS.channel : undefined;
  if (refKind(ref) === 'mail') return KINDS.mailbox;
  const def = world.def(ref);
  return def ? KINDS[def.kind] : undefined;
}

const REFUSALS: Record<string, string> = {
  open: "You can't open THAT.",
  close: "You can't close THAT.",
  lock: "You can't lock THAT.",
  unlock: "You can't unlock THAT.",
  give: "You can't take things out of THAT.",
  accept: "You can't put things in THAT.",
  offer: "You can't give things to THAT.",
  attack: "You can't fight THAT.",
  consider: "You can't fight THAT.",
  coins: "You can't give coins to THAT.",
  takeCoins: "There are no coins in THAT.",
};

/** An item asked to do what its kind does not do answers politely; an item
 *  being put into a non-container goes back to the player, never into nowhere. */
export function refuseUnhandled(msg: Msg, ctx: TurnCtx): void {
  const text = REFUSALS[msg.type];
  if (!text || !msg.player || refKind(ctx.self) !== 'item') return;
  const player = msg.player as Ref;
  if ((msg.type === 'accept' || msg.type === 'offer') && msg.item) ctx.send(player, { type: 'receive', item: msg.item as Ref, text: null });
  if (msg.type === 'coins' && typeof msg.coins === 'number' && msg.coins > 0) ctx.send(player, { type: 'coins', coins: msg.coins });
  if (msg.quiet !== true) ctx.tell(player, text.replace('THAT', nameOf(ctx.self, ctx.world))); // once for a `put all`
}

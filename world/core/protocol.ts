// The world's message protocol in one table: every message type the engine
// knows, whether a builder script may send it, and whether it moves an item or a
// player. The turn guard (world/core/turn.ts), the script effect check
// (world/scripts/script-effects.ts), the static check of `mud world check`
// (world/scripts/script-static-check.ts) and the item audit and crash recovery
// (ops/item-audit.ts) all read it. Adding a message type is one line here.

/** What a message does to the world beyond its receiver's own state. */
export type Moves = 'item' | 'player' | 'coins' | 'none';

export interface MessageRule {
  /** May a builder script send it (to the objects it can reach, see world/scripts/script-reach.ts)? */
  script: boolean;
  /** `item`: carries the item named in its `item` field from one holder to
   *  another (the audit follows these); `player`: moves a player between rooms;
   *  `coins`: carries the number of coins in its `coins` field (world/core/coins.ts, ops/coin-audit.ts). */
  moves: Moves;
  /** Fields for the message's recipients alone: a builder's hook on the object
   *  that carries it gets the message without them (private speech). */
  private?: readonly string[];
}

const ENGINE_ONLY_TEXT: MessageRule = { script: false, moves: 'none' };

/** Every message type the engine's kinds handle. A type not listed is a
 *  builder's own message: only script hooks answer it (see `ruleOf`). */
export const PROTOCOL: Readonly<Record<string, MessageRule>> = {
  // A player's session: commands, login and logout. Never a script's: that is puppeting.
  cmd: { script: false, moves: 'player' },
  connect: { script: false, moves: 'player' },
  disconnect: { script: false, moves: 'player' },
  // Players between rooms.
  enter: { script: false, moves: 'player' },
  exit: { script: false, moves: 'player' },
  moved: { script: false, moves: 'player' },
  shardCount: { script: false, moves: 'player' },
  // Through a door (world/kinds/door.ts): an open one hands the player to the room's `exit`.
  pass: { script: false, moves: 'player' },
  // Items between holders, and the requests that make a holder let go of one.
  receive: { script: false, moves: 'item' },
  drop: { script: false, moves: 'item' },
  accept: { script: false, moves: 'item' },
  forward: { script: false, moves: 'item' },
  take: { script: false, moves: 'item' },
  give: { script: false, moves: 'item' },
  offer: { script: false, moves: 'item' },
  // A slain creature's loot falling into the room.
  loot: { script: false, moves: 'item' },
  // A fallen player's things laid in their corpse; a crumbled corpse let go by its room (world/kinds/corpse.ts).
  lay: { script: false, moves: 'item' },
  crumble: { script: false, moves: 'item' },
  // Something eaten back in its starting room; a copy the room lets go because its place is filled (world/core/item-respawn.ts).
  regrow: { script: false, moves: 'item' },
  eaten: { script: false, moves: 'item' },
  // A player's words: a script saying them would put words in a player's mouth.
  say: ENGINE_ONLY_TEXT,
  emote: ENGINE_ONLY_TEXT,
  // Private speech: the room a whisper passes through, or a tell's player, relays
  // the words to their recipients; a script there learns who spoke to whom, not what.
  tell: { script: false, moves: 'none', private: ['text'] },
  whisper: { script: false, moves: 'none', private: ['text'] },
  whispered: { script: false, moves: 'none', private: ['text'] },
  shout: ENGINE_ONLY_TEXT,
  chat: ENGINE_ONLY_TEXT,
  history: ENGINE_ONLY_TEXT,
  look: ENGINE_ONLY_TEXT,
  wielded: ENGINE_ONLY_TEXT,
  unwielded: ENGINE_ONLY_TEXT,
  init: ENGINE_ONLY_TEXT,
  // A fight (world/kinds/combat.ts): a script may not strike for a player, nor deal damage.
  attack: ENGINE_ONLY_TEXT,
  engage: ENGINE_ONLY_TEXT,
  round: ENGINE_ONLY_TEXT,
  strike: ENGINE_ONLY_TEXT,
  hit: ENGINE_ONLY_TEXT,
  struck: ENGINE_ONLY_TEXT,
  consider: ENGINE_ONLY_TEXT,
  // A group's share of a kill's experience (world/core/progress.ts): never a script's to grant.
  share: ENGINE_ONLY_TEXT,
  // A player's health coming back, on its own timer (world/core/health.ts); a corpse crumbling on its own.
  regen: ENGINE_ONLY_TEXT,
  decay: ENGINE_ONLY_TEXT,
  // A creature lying dead in its room, and risen again (world/kinds/room-remains.ts).
  fell: ENGINE_ONLY_TEXT,
  rose: ENGINE_ONLY_TEXT,
  // A creature back from death; a room or container making new copies of the
  // starting items taken from it (world/core/item-respawn.ts): fired by its own timer only.
  respawn: ENGINE_ONLY_TEXT,
  // Tells a new copy it was made, which writes its record: the audit's proof it exists.
  spawned: ENGINE_ONLY_TEXT,
  // What a room tells the creatures in it (their scripts hook these), and a creature's wandering.
  greet: ENGINE_ONLY_TEXT,
  overhear: ENGINE_ONLY_TEXT,
  witness: ENGINE_ONLY_TEXT,
  wander: ENGINE_ONLY_TEXT,
  arrived: ENGINE_ONLY_TEXT,
  farewell: ENGINE_ONLY_TEXT,
  // A door tells the rooms on both its sides that it opened, shut or locked (world/core/doors.ts). A script may send
  // it, since a door a script opened (a room's lever) tells its rooms in that script's chain; a room takes it only
  // for a door on its own exits, and it changes what `look` shows, never who may pass (the door decides: `pass`).
  doorChanged: { script: true, moves: 'none' },
  // A player's link dropped, or is back (world/kinds/room-links.ts): the room tells the others and marks them.
  linkless: ENGINE_ONLY_TEXT,
  // A room lists its ways out, or tells where one leads (world/kinds/room-ways.ts).
  exits: ENGINE_ONLY_TEXT,
  lookWay: ENGINE_ONLY_TEXT,
  // Everyday verbs (world/kinds/player-acts.ts, room-acts.ts): a script may not act for a player,
  // but a thing's or a creature's script hooks them (`use`, `ask`).
  social: ENGINE_ONLY_TEXT,
  useThing: ENGINE_ONLY_TEXT,
  use: ENGINE_ONLY_TEXT,
  ask: ENGINE_ONLY_TEXT,
  // Travelling together (world/kinds/player-group.ts): between players, never a script's.
  toPlayer: ENGINE_ONLY_TEXT,
  followed: ENGINE_ONLY_TEXT,
  nowFollowing: ENGINE_ONLY_TEXT,
  unfollowed: ENGINE_ONLY_TEXT,
  lead: ENGINE_ONLY_TEXT,
  grouped: ENGINE_ONLY_TEXT,
  ungrouped: ENGINE_ONLY_TEXT,
  groupLeave: ENGINE_ONLY_TEXT,
  leaderLeft: ENGINE_ONLY_TEXT,
  gtell: ENGINE_ONLY_TEXT,
  // A creature's script asks it to follow the acting player: it moves nothing by itself.
  follow: { script: true, moves: 'none' },
  // A creature's script puts it to sleep (it strikes no one back) and wakes it (world/kinds/npc.ts).
  doze: { script: true, moves: 'none' },
  rouse: { script: true, moves: 'none' },
  release: { script: false, moves: 'item' },
  arrive: { script: false, moves: 'item' },
  // A creature back from the dead gathers up its loot if it still lies where it fell.
  reclaim: { script: false, moves: 'item' },
  // A wizard's building (world/kinds/room-building.ts): an item made lies in its room, one destroyed leaves it.
  built: { script: false, moves: 'item' },
  unbuild: { script: false, moves: 'item' },
  restock: { script: false, moves: 'item' },
  // Money between holders (world/core/coins.ts); asking a room or a corpse for its coins moves none by itself.
  coins: { script: false, moves: 'coins' },
  takeCoins: ENGINE_ONLY_TEXT,
  // At a shop (world/kinds/npc-shop.ts): what a player sells travels in `shop` and `sell`, what they buy in `bought`.
  shop: { script: false, moves: 'item' },
  sell: { script: false, moves: 'item' },
  bought: { script: false, moves: 'item' },
  list: ENGINE_ONLY_TEXT,
  buy: ENGINE_ONLY_TEXT,
  appraise: ENGINE_ONLY_TEXT,
  // A trade between two players (world/kinds/player-trade.ts): a two-phase commit; the goods move as `receive` and `coins`.
  tradeAsk: ENGINE_ONLY_TEXT,
  tradeOpen: ENGINE_ONLY_TEXT,
  tradeTerms: ENGINE_ONLY_TEXT,
  tradeAccept: ENGINE_ONLY_TEXT,
  tradeCommit: ENGINE_ONLY_TEXT,
  tradeSettled: ENGINE_ONLY_TEXT,
  tradeRetry: ENGINE_ONLY_TEXT,
  tradeEnd: ENGINE_ONLY_TEXT,
  // Letters (world/kinds/player-mail.ts, mailbox.ts): one player's to another, through the reader's player object
  // to their mailbox, and the owner's reading; never a script's (it would write in a player's name).
  letter: ENGINE_ONLY_TEXT,
  post: ENGINE_ONLY_TEXT,
  letters: ENGINE_ONLY_TEXT,
  readLetter: ENGINE_ONLY_TEXT,
  burnLetter: ENGINE_ONLY_TEXT,
  unread: ENGINE_ONLY_TEXT,
  // A quest given, moved on or done, written in the player's journal (world/kinds/player-quests.ts). Sent by the engine
  // for a script's ctx.quest, to a player within the script's reach as ctx.tell's; ctx.send never reaches a player.
  journal: { script: true, moves: 'none' },
  // Fires a pending timer (world/core/timers.ts): only the engine's timer queue sends it.
  timer: ENGINE_ONLY_TEXT,
  // Game-level messages a script may send to the objects around it: a lever
  // that opens the chest, a bell that makes the room describe a thing.
  examine: { script: true, moves: 'none' },
  open: { script: true, moves: 'none' },
  close: { script: true, moves: 'none' },
  lock: { script: true, moves: 'none' },
  unlock: { script: true, moves: 'none' },
};

/** A builder's own message type: only hooks answer it, so a script may send it. */
const BUILDER_MESSAGE: MessageRule = { script: true, moves: 'none' };

export function ruleOf(type: string): MessageRule {
  return Object.hasOwn(PROTOCOL, type) ? PROTOCOL[type] : BUILDER_MESSAGE;
}

/** Does a message of this type carry an item (the audit and crash recovery follow it)? */
export function movesItem(type: string): boolean {
  return ruleOf(type).moves === 'item';
}

/** Does a message carry coins (its `coins` field: a `coins` message, or a `forward` handing some on)? */
export function carriesCoins(msg: { type: string; coins?: unknown }): boolean {
  return ruleOf(msg.type).moves !== 'none' && typeof msg.coins === 'number' && msg.coins > 0;
}

/** The effects a script may produce: each becomes `ctx.<name>(...)` in the
 *  script, its arguments recorded under these field names. A later effect (a
 *  timer, an out-of-band `emit(player, package, data)`) is one line here, its
 *  check in script-effects.ts (the compiler asks for it) and its engine call in
 *  turn.ts. */
export const SCRIPT_EFFECTS = {
  tell: ['to', 'text'],
  tellRoom: ['room', 'text', 'except'],
  send: ['to', 'msg'],
  /** A message to the script's own object later: never another's (see world/core/timers.ts).
   *  The prelude gives `ctx.after` its own body: it also returns the timer's id. */
  after: ['ms', 'msg'],
  cancel: ['id'],
  /** A quest in a player's journal (`quests`): the engine sends the player a `journal` message for it. */
  quest: ['to', 'title', 'text', 'done'],
} as const satisfies Record<string, readonly string[]>;

export type ScriptEffectName = keyof typeof SCRIPT_EFFECTS;

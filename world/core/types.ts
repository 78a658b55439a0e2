// The turn contract: every game object is a Ref with JSON state, changed only by
// turns. A turn takes (state, msg, ctx) and returns a new state or nothing; all
// it does to the outside world goes through ctx as Effects. No I/O, no clocks,
// no globals: that is what lets the same world run in-process, as homed actors,
// or as stateless functions (see docs/architecture/turn.md).

import type { SocialDef } from '../commands/socials.js';

/** A stable, printable object id: `room/mystical_plaza`, `item/sword.2`,
 *  `player/alice`, `room/mystical_plaza~2` (a shard), `mail/alice` (her letters). Valid as a NATS subject
 *  token and a KV key: [a-z0-9_.~/-] only. */
export type Ref = string;

export const REF_PATTERN = /^(room|item|player|channel|mail)\/[a-z0-9_][a-z0-9_.~-]*$/;

export function isRef(value: unknown): value is Ref {
  return typeof value === 'string' && value.length <= 128 && REF_PATTERN.test(value);
}

export type RefKind = 'room' | 'item' | 'player' | 'channel' | 'mail';

export function refKind(ref: Ref): RefKind {
  return ref.slice(0, ref.indexOf('/')) as RefKind;
}

export function refName(ref: Ref): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/** JSON-serialisable values: everything that crosses a lattice or a store. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A message to an object. `id` is unique per logical delivery and derived
 *  deterministically for children (`<parent id>.<n>`), so a re-run turn
 *  re-emits the same ids and receivers can apply each message at most once. */
export interface Msg {
  id: string;
  type: string;
  /** The player whose command caused this message, if any (for errors and who-did-what). */
  actor?: Ref;
  /** True when a builder script sent it: such messages can never move items. */
  script?: boolean;
  /** True when the actor's client takes no out-of-band data (plain telnet): what a
   *  turn would `emit` to the actor alone is not built (TurnCtx.wantsData). Carried on like `actor`. */
  plain?: boolean;
  /** True when the actor is a wizard: a builder script's failure in a turn they caused is
   *  shown to them in full (file, line, error); everyone else is told "Something went wrong."
   *  Carried on like `actor`; a script may not set it. */
  wizard?: boolean;
  /** Only if applied already: a player's message its gateway gave up on (every try failed, and one may have run:
   *  its write landed, its answer was lost) is delivered once more with this mark, so what the turn that ran left
   *  in its outbox (an item dropped, on its way to the room) is delivered, and a turn that never ran does not run
   *  late (dispatch/turn-failures.ts, `settle`). A script's message carries no such mark. */
  settle?: boolean;
  /** Who delivers it, stamped by the gateway's engine on each try (dispatch/deliveries.ts): what lets a record
   *  hold the outbox of a message past its window until that engine has the answer (world/core/outbox-hold.ts). */
  delivery?: Delivery;
  [field: string]: Json | undefined;
}

/** Who delivered a message (Msg.delivery): `by`, the engine (its boot id); `n`, this try's place in everything
 *  that engine delivered; `low`, the oldest of its tries to the same object still under way (every try before
 *  it has ended); `open`, the messages to that object it may deliver again between two tries (a retry waiting
 *  its time, a settle to come), mostly none. */
export type Delivery = { by: string; n: number; low: number; open: string[] };

/** What a turn may ask of the world outside it. Effects are released only
 *  after the turn's new state is durable (the output gate). */
export type Effect =
  | { t: 'send'; to: Ref; msg: Msg }
  /** `from`: the player whose words the line carries (a tell, a whisper, a say): a listener who
   *  ignores them does not get it (portal/player/player-ignores.ts). */
  | { t: 'tell'; to: Ref; text: string; from?: Ref }
  /** One line to everyone in a room but `except`: fanned out by the gateway,
   *  so a 1,000-guest emote crosses the lattice once. */
  | { t: 'tellRoom'; room: Ref; text: string; except?: Ref[]; from?: Ref }
  /** A player is now in (or, with room null, out of) a room: feeds the
   *  gateway's location index for tellRoom and `who`. */
  | { t: 'located'; player: Ref; room: Ref | null }
  /** A line for the server log (script errors, notable events). */
  | { t: 'log'; level: 'info' | 'warn' | 'error'; text: string }
  /** Out-of-band data for a player's client (GMCP-style package name and JSON),
   *  or for everyone in a room when `to` is a room; each connection encodes it
   *  its own way (GMCP, a WebSocket frame) or drops it (plain telnet). */
  | { t: 'emit'; to: Ref; package: string; data: Json; except?: Ref[] }
  /** A channel line (chat) for every listening player on every gateway: each
   *  gateway fans it out to its own sessions, as text and as `data` (GMCP). */
  | { t: 'broadcast'; channel: string; text: string; data: Json }
  /** One line (and its client `data`) to everyone in the rooms of an area but
   *  `except` (a shout): fanned out by each gateway from its location index. */
  | { t: 'tellArea'; area: string; text: string; data: Json; except?: Ref[] }
  /** A timer of `ref` is pending, committed with its state: the gateway's
   *  timer queue delivers `{ type: 'timer', id }` to it once `due` (ms) passes. */
  | { t: 'timer'; ref: Ref; id: string; due: number }
  /** The message had been applied already (its first answer lost) and its lines to players were not kept:
   *  the gateway tells `to`, the player whose command caused it, once per command (world/core/applied-again.ts). */
  | { t: 'again'; to: Ref }
  /** The turn wrote its object's record, holding a builder's script state of `chars` JSON characters (as its
   *  hook left it): the gateway charges a script timer's fire for what the turns it caused wrote. Not kept in
   *  the outbox: a message applied again writes nothing. */
  | { t: 'wrote'; chars: number };

/** The facilities a turn handler has. Everything else is out of reach. */
export interface TurnCtx {
  readonly self: Ref;
  readonly world: WorldView;
  /** Runtime knobs the handlers may read (e.g. shard capacity in actor mode). */
  readonly config: TurnConfig;
  send(to: Ref, msg: { type: string; [field: string]: Json | undefined }): void;
  /** `from`: the player whose words these are (see the `tell` effect); none for what the world says. */
  tell(player: Ref, text: string, from?: Ref): void;
  tellRoom(room: Ref, text: string, except?: Ref[], from?: Ref): void;
  located(player: Ref, room: Ref | null): void;
  /** Structured data for clients (see world/core/client-data.ts): to a player, or a room's players.
   *  Dropped when nobody would read it (see `wantsData`). */
  emit(to: Ref, pkg: string, data: Json, except?: Ref[]): void;
  /** Whether data emitted to `to` (a player, or a room's players) would reach a client that
   *  takes it: false while no client anywhere does (TurnConfig.clientData), or when `to` is
   *  the actor and their client is plain (Msg.plain). Check it before building costly data. */
  wantsData(to: Ref): boolean;
  /** A line on a channel for everyone listening to it (see the `broadcast` effect). */
  broadcast(channel: string, text: string, data: Json): void;
  /** A line for everyone in an area's rooms (see world/core/area.ts and the `tellArea` effect). */
  tellArea(area: string, text: string, data: Json, except?: Ref[]): void;
  log(level: 'info' | 'warn' | 'error', text: string): void;
  /** A message to this object itself, `ms` from now, committed with this turn's
   *  state: it fires at most once, never before it is due, and only if this
   *  turn commits. Returns the timer's id (for `cancel`). See world/core/timers.ts. */
  after(ms: number, msg: { type: string; [field: string]: Json | undefined }): string;
  /** Cancels a pending timer of this object; false when none has that id. */
  cancel(id: string): boolean;
  /** Wall-clock milliseconds, fixed for the turn. */
  now(): number;
  /** Seeded by the message id: a re-run turn draws the same numbers. */
  random(): number;
}

export interface TurnConfig {
  /** Players per room shard; 0 = sharding off. */
  shardCapacity: number;
  /** False while no client anywhere takes out-of-band data (every player on plain
   *  telnet): `emit` effects are dropped and handlers need not build their data
   *  (TurnCtx.wantsData). Absent means true. */
  clientData?: boolean;
  /** Function mode's commits replay a turn that commutes on a newer record instead of running
   *  it again (docs/architecture/mergeable-state.md): turns then say what they changed (TurnOutcome.ops).
   *  Absent means false (`mud serve --no-merge` in function mode). */
  merge?: boolean;
}

export type Handler<S> = (state: S, msg: Msg, ctx: TurnCtx) => S | void;

/** The static, read-only view of the loaded world that handlers consult:
 *  names and keywords of things, room exits, builder scripts. */
export interface WorldView {
  /** The definition behind a ref (a shard resolves to its base room), or undefined. */
  def(ref: Ref): ObjectDef | undefined;
  readonly startRoom: Ref;
  /** The world's name. */
  readonly name?: string;
  /** The world's areas by id (world/core/area.ts): every room is in exactly one. */
  readonly areas: Readonly<Record<string, AreaDef>>;
  /** The gestures players can make, by the word they type (world/commands/socials.ts). */
  readonly socials?: Readonly<Record<string, SocialDef>>;
  /** Runs a builder script hook, if the object has one for this message type. */
  hook(ref: Ref, type: string): ScriptHook | undefined;
}

/** A builder script's handler for one message type, already sandboxed. */
export interface ScriptHook {
  (input: ScriptInput): ScriptOutcome;
  /** The same call, answered later: the thread that runs turns goes on with other work while the
   *  script runs (world/core/turn-later.ts). */
  later?: (input: ScriptInput) => Promise<ScriptOutcome>;
}

export interface ScriptInput {
  state: Json;
  msg: Msg;
  self: Ref;
  /** Read-only facts the script may consult (occupants, contents, names); a getter where the turn builds it only when read. */
  here: Json;
  now: number;
  seed: number;
  /** The prefix of this call's timer ids: a script's `ctx.after` returns `<timerBase>s<n>`. */
  timerBase: string;
}

export type ScriptOutcome =
  /** `size`: the object's script state as the call leaves it, in JSON characters, where the runtime knows it. */
  | { ok: true; state: Json | undefined; effects: ScriptEffect[]; size?: number }
  | { ok: false; error: string };

/** What a script may ask for: lines to players, lines to rooms, messages. */
export type ScriptEffect =
  | { t: 'tell'; to: Ref; text: string }
  | { t: 'tellRoom'; room: Ref; text: string; except?: Ref[] }
  | { t: 'send'; to: Ref; msg: { type: string; [field: string]: Json | undefined } }
  /** A timer on the script's own object (never another's). */
  | { t: 'after'; id: string; ms: number; msg: { type: string; [field: string]: Json | undefined } }
  | { t: 'cancel'; id: string }
  /** A quest in a player's journal: given or moved on, or done. */
  | { t: 'quest'; to: Ref; title: string; text: string; done?: boolean };

export type ObjectDef = RoomDef | ItemDef | PlayerDef;

export interface RoomDef {
  kind: 'room';
  ref: Ref;
  id: string;
  name: string;
  description: string;
  exits: Record<string, Ref>;
  /** Items placed here when the world is first created. */
  items: Ref[];
  /** The id of its area (`WorldView.areas`). */
  area: string;
  /** Exits with a door on them: direction -> the door (an item of kind `door`, world/kinds/door.ts). */
  doors?: Record<string, Ref>;
  /** Scenery words a player may look at (`look yew`): each entry's words and what they see. */
  extras?: ExtraDescription[];
  /** The terrain client mappers colour the room by (GMCP Room.Info `environment`). */
  environment?: string;
  script?: ScriptSource;
}

/** An extra description: `look yew` in a room whose description mentions an old yew. */
export interface ExtraDescription {
  keywords: string[];
  text: string;
}

/** An area: rooms that hear one another's shouts, with the pace at which what
 *  is taken or killed there comes back (docs/WORLD-FILES.md "areas"). */
export interface AreaDef {
  id: string;
  /** As players and client mappers see it: "The Lantern Quarter". */
  name: string;
  respawn: RespawnSettings;
}

export interface RespawnSettings {
  /** Seconds from a creature's death until it is back; null: it stays dead. */
  npcs: number | null;
  /** Seconds from an item leaving the place it starts in until a new one lies
   *  there (world/core/item-respawn.ts); null: items do not come back. */
  items: number | null;
}

export type { ItemKindName } from '../kinds/item-kinds.js';
import type { ItemKindName } from '../kinds/item-kinds.js';

export interface ItemDef {
  kind: ItemKindName;
  ref: Ref;
  id: string;
  /** Short name as it reads in a sentence: "a steel sword". */
  name: string;
  keywords: string[];
  description: string;
  takeable: boolean;
  /** Kind-specific initial properties (condition, charges, open, locked, key, ...). */
  props: Record<string, Json>;
  /** For containers: items inside when the world is first created. */
  contents: Ref[];
  script?: ScriptSource;
}

export interface PlayerDef {
  kind: 'player';
  ref: Ref;
  id: string;
  name: string;
}

export interface ScriptSource {
  /** File and line the code starts at, for error messages. */
  file: string;
  line: number;
  code: string;
}

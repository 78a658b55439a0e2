import type { StateStore } from '../store/state-store.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { Effect, Msg, Ref } from '../world/core/types.js';
import { movesItem } from '../world/core/protocol.js';
import { isSpawned, originalOf } from '../world/core/spawned-refs.js';
import { CORPSE } from '../world/kinds/corpse.js';
import { neverApplied } from './never-applied.js';

export interface StoredRecord {
  state?: {
    contents?: Ref[]; inventory?: Ref[]; decayed?: boolean;
    /** Money (world/core/coins.ts, ops/coin-audit.ts): what it has, and what its purse was filled with since the world began. */
    coins?: number; minted?: number;
    /** A player's side of a trade: what they have set aside, still theirs until it settles (world/kinds/player-trade.ts). */
    trade?: { mine?: { items?: Ref[]; coins?: number } } | null;
    /** A respawn's copy eaten while its place was filled (world/core/item-respawn.ts `regrow`). */
    eaten?: boolean;
  };
  recent?: Array<[string, Effect[], number?]>;
  /** Entries past the window whose deliverer had not said it has the answer (world/core/outbox-hold.ts). */
  held?: Array<[string, Effect[], number?]>;
}

/** Every outbox entry a record keeps: held past its window, then the window's, oldest first. Held entries are
 *  the ones whose answers were not known to have landed: what a crash is likeliest to have left in flight. */
export function outboxOf(record: StoredRecord | undefined): Array<[string, Effect[], number?]> {
  if (!record) return [];
  return record.held?.length ? [...record.held, ...(record.recent ?? [])] : record.recent ?? [];
}

/** Every stored object record, by ref. */
export async function readRecords(store: StateStore): Promise<Map<Ref, StoredRecord>> {
  const records = new Map<Ref, StoredRecord>();
  for (const prefix of ['room/', 'item/', 'player/']) {
    for (const e of await store.scan(prefix)) records.set(e.key, e.value as StoredRecord);
  }
  return records;
}

/** Things a committed turn made whose `spawned` has not landed, nor any other message, so they have no
 *  record yet (a crash right after a death: the corpse is in the player's outbox alone). They exist all
 *  the same: whoever should hold them must be found, and their birth delivered (`strandedTransfers`). */
function unborn(records: Map<Ref, StoredRecord>): Set<Ref> {
  const refs = new Set<Ref>();
  for (const record of records.values()) {
    for (const [, effects] of outboxOf(record)) {
      for (const e of effects) if (e.t === 'send' && e.msg.type === 'spawned' && isSpawned(e.to) && !records.has(e.to)) refs.add(e.to);
    }
  }
  return refs;
}

/** Is this record a fallen player's corpse that crumbled (world/kinds/corpse.ts)? It is gone on purpose. */
function crumbled(ref: Ref, record: StoredRecord | undefined): boolean {
  return record?.state?.decayed === true && originalOf(ref) === CORPSE;
}

/** Is this record a respawn's copy that was eaten and let go? It is gone on purpose too. */
function eaten(ref: Ref, record: StoredRecord | undefined): boolean {
  return record?.state?.eaten === true && isSpawned(ref);
}

/** Who holds each item: rooms and containers (as stored, or as the world file
 *  placed them if never touched), shards, players' inventories and corpses. The items
 *  are the world file's and the things turns made (a respawn's copy, world/core/item-respawn.ts; a corpse):
 *  one is known by its record, by its holder, or by the `spawned` message its maker sent it.
 *  A corpse that crumbled, or a copy eaten and let go, is no item any more (`crumbledButHeld` finds a corpse a room still holds). */
export function itemHolders(records: Map<Ref, StoredRecord>, world: WorldDefinition): Map<Ref, Ref[]> {
  // Doors stand on exits (world/files/world-doors.ts), and the world's `corpse` is only the pattern of the
  // corpses deaths make: no one holds either, nothing carries them.
  const holders = new Map<Ref, Ref[]>(Object.entries(world.items).filter(([, d]) => d.kind !== 'corpse' && d.kind !== 'door').map(([r]) => [r, []]));
  for (const ref of records.keys()) if (isSpawned(ref)) holders.set(ref, []);
  for (const ref of unborn(records)) holders.set(ref, []);
  const hold = (holder: Ref, items: readonly Ref[] | undefined) => {
    for (const item of items ?? []) (holders.get(item) ?? holders.set(item, []).get(item)!).push(holder);
  };
  for (const [ref, room] of Object.entries(world.rooms)) hold(ref, records.get(ref)?.state?.contents ?? room.items);
  for (const [ref, item] of Object.entries(world.items)) {
    if (item.kind === 'container' || item.kind === 'npc') hold(ref, records.get(ref)?.state?.contents ?? item.contents);
  }
  for (const [key, record] of records) {
    if (key.startsWith('player/')) {
      hold(key, record.state?.inventory);
      hold(key, record.state?.trade?.mine?.items);
    }
    else if (key.startsWith('room/') && key.includes('~')) hold(key, record.state?.contents);
    else if (isSpawned(key) && originalOf(key) === CORPSE) hold(key, record.state?.contents);
  }
  for (const [key, record] of records) if (crumbled(key, record) || eaten(key, record)) holders.delete(key);
  return holders;
}

/** Crumbled corpses a room still lists (its `crumble` never arrived): with the holders found. */
export function crumbledButHeld(records: Map<Ref, StoredRecord>, world: WorldDefinition): Map<Ref, Ref[]> {
  const crumbledRefs = new Set([...records].filter(([key, record]) => crumbled(key, record)).map(([key]) => key));
  const held = new Map<Ref, Ref[]>();
  if (crumbledRefs.size === 0) return held;
  const rooms = Object.keys(world.rooms).concat([...records.keys()].filter((k) => k.startsWith('room/') && k.includes('~')));
  for (const room of rooms) {
    for (const item of records.get(room)?.state?.contents ?? []) if (crumbledRefs.has(item)) (held.get(item) ?? held.set(item, []).get(item)!).push(room);
  }
  return held;
}

/** After a crash, an item can be between two objects: its sender committed
 *  handing it over, its receiver never got the message. The message is still in
 *  the sender's outbox. For each item held by nobody, finds the one outbox
 *  message carrying it that its target has not applied, to be delivered again
 *  (the target applies a message id at most once, so this cannot duplicate).
 *  A made thing without its record (or held by nobody) has its `spawned`
 *  message delivered again the same way, so it is born, and the audit keeps knowing it exists. */
export function strandedTransfers(records: Map<Ref, StoredRecord>, world: WorldDefinition): {
  resend: Array<{ to: Ref; msg: Msg; item: Ref }>;
  unresolved: string[];
} {
  const holders = itemHolders(records, world);
  const applied = (to: Ref, id: string) => outboxOf(records.get(to)).some(([seen]) => seen === id);
  const sends = [...records.values()].flatMap((r) => outboxOf(r))
    .flatMap(([, effects, at]) => effects.flatMap((e) => (e.t === 'send' ? [{ e, at: at ?? 0 }] : [])));
  // The newest outbox message that passes `wanted`: older ones were delivered long ago.
  const newestSend = (wanted: (msg: Msg, to: Ref, at: number) => boolean) => sends
    .filter(({ e, at }) => wanted(e.msg, e.to, at))
    .sort((a, b) => a.at - b.at)
    .at(-1)?.e;
  const newestUnapplied = (wanted: (msg: Msg, to: Ref) => boolean) => newestSend((m, to) => wanted(m, to) && !applied(to, m.id));
  const resend: Array<{ to: Ref; msg: Msg; item: Ref }> = [];
  const unresolved: string[] = [];
  for (const [item, where] of holders) {
    if (where.length > 1) unresolved.push(`${item} is held by ${where.join(', ')}`);
    // Made, but never told so: no record yet, or one that other messages made (a `lay` in a corpse) while
    // nobody holds it. Delivered alone, the messages into it or carrying it would leave it unborn (a corpse
    // with no room and no decay), so its `spawned` goes again too, when its window shows it never came.
    const birth = isSpawned(item) && (!records.has(item) || where.length === 0)
      ? newestSend((m, to, at) => m.type === 'spawned' && to === item && neverApplied(records.get(item), m.id, at)) : undefined;
    if (birth) resend.push({ to: birth.to, msg: birth.msg, item });
    if (where.length !== 0) continue;
    const newest = newestUnapplied((m) => movesItem(m.type) && m.item === item);
    if (!newest) unresolved.push(`${item} is held by nobody and no message carries it`);
    else resend.push({ to: newest.to, msg: newest.msg, item });
  }
  // A corpse crumbled but its room never let it go: its `crumble` goes again (the room applies it once).
  for (const [corpse, rooms] of crumbledButHeld(records, world)) {
    const letGo = newestUnapplied((m, to) => m.type === 'crumble' && m.item === corpse && rooms.includes(to));
    if (letGo) resend.push({ to: letGo.to, msg: letGo.msg, item: corpse });
    else unresolved.push(`${corpse} crumbled but ${rooms.join(', ')} still holds it`);
  }
  return { resend, unresolved };
}

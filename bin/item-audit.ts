import type { StateStore } from '../cluster/state-store.js';
import type { WorldDefinition } from '../world/world-def.js';
import type { Effect, Msg, Ref } from '../world/types.js';
import { movesItem } from '../world/protocol.js';
import { isSpawned } from '../world/spawned-refs.js';

interface StoredRecord {
  state?: { contents?: Ref[]; inventory?: Ref[] };
  recent?: Array<[string, Effect[], number?]>;
}

/** Every stored object record, by ref. */
export async function readRecords(store: StateStore): Promise<Map<Ref, StoredRecord>> {
  const records = new Map<Ref, StoredRecord>();
  for (const prefix of ['room/', 'item/', 'player/']) {
    for (const e of await store.scan(prefix)) records.set(e.key, e.value as StoredRecord);
  }
  return records;
}

/** Who holds each item: rooms and containers (as stored, or as the world file
 *  placed them if never touched), shards, and players' inventories. The items
 *  are the world file's and the copies respawns made (world/item-respawn.ts):
 *  a copy is known by its record, written when it was made, or by its holder. */
export function itemHolders(records: Map<Ref, StoredRecord>, world: WorldDefinition): Map<Ref, Ref[]> {
  // Doors stand on exits (world/world-doors.ts): no one holds them, nothing carries them.
  const holders = new Map<Ref, Ref[]>(Object.keys(world.items).filter((r) => world.items[r].kind !== 'door').map((r) => [r, []]));
  for (const ref of records.keys()) if (isSpawned(ref)) holders.set(ref, []);
  const hold = (holder: Ref, items: readonly Ref[] | undefined) => {
    for (const item of items ?? []) (holders.get(item) ?? holders.set(item, []).get(item)!).push(holder);
  };
  for (const [ref, room] of Object.entries(world.rooms)) hold(ref, records.get(ref)?.state?.contents ?? room.items);
  for (const [ref, item] of Object.entries(world.items)) {
    if (item.kind === 'container' || item.kind === 'npc') hold(ref, records.get(ref)?.state?.contents ?? item.contents);
  }
  for (const [key, record] of records) {
    if (key.startsWith('player/')) hold(key, record.state?.inventory);
    else if (key.startsWith('room/') && key.includes('~')) hold(key, record.state?.contents);
  }
  return holders;
}

/** After a crash, an item can be between two objects: its sender committed
 *  handing it over, its receiver never got the message. The message is still in
 *  the sender's outbox. For each item held by nobody, finds the one outbox
 *  message carrying it that its target has not applied, to be delivered again
 *  (the target applies a message id at most once, so this cannot duplicate).
 *  A respawn's copy held by someone but without its record has its `spawned`
 *  message delivered again the same way, so the audit keeps knowing it exists. */
export function strandedTransfers(records: Map<Ref, StoredRecord>, world: WorldDefinition): {
  resend: Array<{ to: Ref; msg: Msg; item: Ref }>;
  unresolved: string[];
} {
  const holders = itemHolders(records, world);
  const applied = (to: Ref, id: string) => records.get(to)?.recent?.some(([seen]) => seen === id) ?? false;
  // The newest unapplied outbox message that passes `wanted`: older ones were delivered long ago.
  const newestUnapplied = (wanted: (msg: Msg, to: Ref) => boolean) => [...records.values()].flatMap((r) => r.recent ?? [])
    .flatMap(([, effects, at]) => effects.map((e) => ({ e, at: at ?? 0 })))
    .filter(({ e }) => e.t === 'send' && wanted(e.msg, e.to) && !applied(e.to, e.msg.id))
    .sort((a, b) => a.at - b.at)
    .at(-1)?.e as Extract<Effect, { t: 'send' }> | undefined;
  const resend: Array<{ to: Ref; msg: Msg; item: Ref }> = [];
  const unresolved: string[] = [];
  for (const [item, where] of holders) {
    if (where.length > 1) unresolved.push(`${item} is held by ${where.join(', ')}`);
    if (where.length !== 0) {
      const birth = isSpawned(item) && !records.has(item) ? newestUnapplied((m, to) => m.type === 'spawned' && to === item) : undefined;
      if (birth) resend.push({ to: birth.to, msg: birth.msg, item });
      continue;
    }
    const newest = newestUnapplied((m) => movesItem(m.type) && m.item === item);
    if (!newest) unresolved.push(`${item} is held by nobody and no message carries it`);
    else resend.push({ to: newest.to, msg: newest.msg, item });
  }
  return { resend, unresolved };
}

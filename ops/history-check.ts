import type { Ref } from '../world/core/types.js';
import type { WorldDefinition } from '../world/files/world-def.js';
import type { HistoryWrite } from './write-history.js';

/** What the history is checked against. */
export interface HistoryInput {
  /** Every write of object records the processes recorded (ops/write-history.ts), in any order. */
  writes: HistoryWrite[];
  /** Each object's revision in the store at the end (an object absent from it: not there). */
  final: Map<Ref, number>;
  /** What each holder held before anything was written (the world file's placement). */
  initial: Map<Ref, Ref[]>;
  /** Revisions are one order over all keys (JetStream KV: the stream's sequence), so where every item
   *  is can be known at every revision. False for stores counting each key on its own (the file store). */
  totalOrder: boolean;
}

export interface HistoryVerdict {
  writes: number;
  objects: number;
  /** Writes whose outcome was unknown that the history shows landed (a later write was based on them, or the store holds them). */
  landed: number;
  /** Objects whose home changed at least once (a write by another writer than the one before it): the hand-overs checked. */
  rehomed: number;
  /** Every way the history breaks a promise, in words; empty when it keeps them all. */
  violations: string[];
}

const at = (w: HistoryWrite) => `by ${w.home}${w.epoch === null ? '' : ` in epoch ${w.epoch}`}`;

/** Checks a history of writes in the spirit of Jepsen's checkers, from the records alone:
 *  - one home at a time: two writes of one object on the same revision (a fork: two homes, or two runs
 *    of one, computed on the same state; one of them must have been refused);
 *  - no lost acknowledged write: each object's writes form one chain, each on the revision the last
 *    left, ending at the revision the store holds; a write based on a revision no write produced, or a
 *    store behind its last acknowledged write, is a write lost or made by no one recorded;
 *  - no epoch going back: an object written under an older mode-table epoch than a write before it
 *    (a home acting on a table the cluster had left);
 *  - each message applied once: a message id entering an object's dedupe window a second time;
 *  - no item in two holders at one revision (with a total order of revisions): replaying every write in
 *    revision order, an item listed by two holders at once, or twice by one.
 *  A write whose outcome is unknown counts as landed when a later write was based on what it left or
 *  the store ends on it, and as never landed otherwise. */
export function checkHistory(input: HistoryInput): HistoryVerdict {
  const violations: string[] = [];
  const byKey = new Map<Ref, HistoryWrite[]>();
  for (const w of input.writes) (byKey.get(w.key) ?? byKey.set(w.key, []).get(w.key)!).push(w);
  const chains: HistoryWrite[] = [];
  let landed = 0;
  let rehomed = 0;
  for (const [key, writes] of byKey) {
    const chain = resolveChain(key, writes, input.final.get(key) ?? 0, violations);
    landed += chain.filter((w) => !writes.some((x) => x === w)).length;
    if (chain.some((w, i) => i > 0 && w.home !== chain[i - 1].home)) rehomed++;
    checkEpochs(key, chain, violations);
    checkAppliedOnce(key, chain, violations);
    chains.push(...chain);
  }
  if (input.totalOrder) checkItems(chains, input.initial, violations);
  return { writes: input.writes.length, objects: byKey.size, landed, rehomed, violations };
}

/** The object's writes in the order they took effect, unknown ones that landed included (as copies with
 *  their inferred revision); what breaks the chain goes to `violations`. */
function resolveChain(key: Ref, writes: HistoryWrite[], final: number, violations: string[]): HistoryWrite[] {
  const acked = writes.filter((w) => w.rev !== null).sort((a, b) => a.rev! - b.rev!);
  const unknown = writes.filter((w) => w.rev === null);
  for (let i = 1; i < acked.length; i++) {
    if (acked[i].rev === acked[i - 1].rev) violations.push(`${key}: two writes acknowledged at revision ${acked[i].rev} (${at(acked[i - 1])}, ${at(acked[i])})`);
  }
  const onBase = new Map<number, HistoryWrite>();
  const forked = new Set<HistoryWrite>();
  for (const w of acked) {
    if (w.prev === null) continue;
    const other = onBase.get(w.prev);
    if (other) {
      forked.add(w);
      const who = other.home === w.home ? `twice ${at(w)}` : `${at(other)} and ${at(w)}: two homes at once`;
      // What one branch holds and the other does not: an item the store dropped with its branch (the
      // partition tests tell a store's fork from a lost item of ours by it).
      const oneSide = [...other.holds.filter((i) => !w.holds.includes(i)), ...w.holds.filter((i) => !other.holds.includes(i))];
      violations.push(`${key}: two writes on revision ${w.prev} (at ${other.rev} and ${w.rev}), ${who}${oneSide.length ? `; on one branch only: ${oneSide.join(', ')}` : ''}`);
    } else onBase.set(w.prev, w);
  }
  const chain: HistoryWrite[] = [];
  let head = 0;
  /** An unknown write on `head` that left `rev`: it landed. */
  const landedAt = (rev: number): boolean => {
    const i = unknown.findIndex((u) => u.prev === null || u.prev === head);
    if (i < 0) return false;
    chain.push({ ...unknown[i], rev });
    unknown.splice(i, 1);
    head = rev;
    return true;
  };
  for (const w of acked) {
    if (forked.has(w)) continue;
    if (w.prev !== null && w.prev !== head && !(w.prev > head && landedAt(w.prev))) {
      violations.push(w.prev > head
        ? `${key}: the write at ${w.rev} ${at(w)} was based on revision ${w.prev}, which no recorded write left (a write lost or unrecorded; the last before it was ${head || 'none'})`
        : `${key}: the write at ${w.rev} ${at(w)} was based on revision ${w.prev}, behind ${head}: it overwrote acknowledged writes`);
    }
    chain.push(w);
    head = w.rev!;
  }
  if (final > head && !landedAt(final)) violations.push(`${key}: the store holds revision ${final}, which no recorded write left (the last was ${head || 'none'})`);
  else if (final < head) violations.push(`${key}: the acknowledged write at ${head} ${at(chain.at(-1)!)} is lost: the store holds ${final || 'nothing'}`);
  return chain;
}

function checkEpochs(key: Ref, chain: HistoryWrite[], violations: string[]): void {
  let last: HistoryWrite | undefined;
  for (const w of chain) {
    if (w.epoch === null) continue;
    if (last && w.epoch < last.epoch!) violations.push(`${key}: written at ${w.rev} ${at(w)}, after the write at ${last.rev} ${at(last)}: a home acting on an older mode table`);
    last = w;
  }
}

function checkAppliedOnce(key: Ref, chain: HistoryWrite[], violations: string[]): void {
  const appliedAt = new Map<string, number>();
  let window = new Set<string>();
  for (const w of chain) {
    for (const id of w.applied) {
      if (window.has(id)) continue;
      const before = appliedAt.get(id);
      if (before !== undefined) violations.push(`${key}: message ${id} applied twice (at ${before} and ${w.rev} ${at(w)})`);
      else appliedAt.set(id, w.rev!);
    }
    window = new Set(w.applied);
  }
}

/** Replays every write in revision order, keeping who holds each item. */
function checkItems(writes: HistoryWrite[], initial: Map<Ref, Ref[]>, violations: string[]): void {
  const holderOf = new Map<Ref, Ref>();
  const holding = new Map<Ref, Ref[]>();
  const hold = (holder: Ref, items: Ref[], rev: number | undefined) => {
    for (const item of holding.get(holder) ?? []) if (holderOf.get(item) === holder) holderOf.delete(item);
    holding.set(holder, items);
    const seen = new Set<Ref>();
    for (const item of items) {
      const other = holderOf.get(item);
      if (seen.has(item)) violations.push(`${item} is held twice by ${holder}${rev === undefined ? ' in the world file' : ` at revision ${rev}`}`);
      else if (other !== undefined && other !== holder) violations.push(`${item} is held by ${other} and ${holder}${rev === undefined ? ' in the world file' : ` at revision ${rev}`}`);
      seen.add(item);
      holderOf.set(item, holder);
    }
  };
  for (const [holder, items] of initial) hold(holder, items, undefined);
  for (const w of [...writes].sort((a, b) => a.rev! - b.rev!)) hold(w.key, w.holds, w.rev!);
}

/** What holders hold before anything is written: rooms their items, containers and creatures their contents (as ops/item-audit.ts reads the world file). */
export function initialHoldings(world: WorldDefinition): Map<Ref, Ref[]> {
  const held = new Map<Ref, Ref[]>();
  for (const [ref, room] of Object.entries(world.rooms)) held.set(ref, [...(room.items ?? [])]);
  for (const [ref, item] of Object.entries(world.items)) {
    if ((item.kind === 'container' || item.kind === 'npc') && item.contents) held.set(ref, [...item.contents]);
  }
  return held;
}

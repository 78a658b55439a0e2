import type { ItemDef, ItemKindName, Json, Ref, ScriptSource } from './types.js';

// An item instance alike its first instance but for its ref (`item/pebble_3.12`
// beside `item/pebble_3.1`): in a generated world of 1,000,000 objects, 900,000
// of them. A plain ItemDef each cost 96 bytes of object and 32 of id string;
// this costs 40 (its ref, and the def it reads everything else from). The id
// is derived from the ref when asked (the kinds ask rarely: matching caches its
// words per def). It reads as an ItemDef; as data (JSON to NATS nodes, the
// packed copy) it is the full plain def (`toJSON`).
// Figures: docs/BENCHMARKS.md, "Memory, second pass".

export class ItemInstance implements ItemDef {
  constructor(readonly ref: Ref, private readonly alike: ItemDef) {}

  get id(): string {
    return this.ref.slice('item/'.length);
  }
  get kind(): ItemKindName {
    return this.alike.kind;
  }
  get name(): string {
    return this.alike.name;
  }
  get keywords(): string[] {
    return this.alike.keywords;
  }
  get description(): string {
    return this.alike.description;
  }
  get takeable(): boolean {
    return this.alike.takeable;
  }
  get props(): Record<string, Json> {
    return this.alike.props;
  }
  get contents(): Ref[] {
    return this.alike.contents;
  }
  get script(): ScriptSource | undefined {
    return this.alike.script;
  }

  /** The def it shares everything but its ref and id with. */
  get shared(): ItemDef {
    return this.alike;
  }

  /** The plain def, key for key as the loader would have made it. */
  toJSON(): ItemDef {
    return { ...this.alike, ref: this.ref, id: this.id };
  }
}

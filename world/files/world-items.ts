import { isMap, type Node } from 'yaml';
import type { ItemDef, ItemKindName, Json, Ref } from '../core/types.js';
import { isItemKind, ITEM_KIND_NAMES, ITEM_KINDS } from '../kinds/item-kinds.js';
import type { PropSpec } from '../kinds/item-kind-spec.js';
import { ID_PATTERN, type Field, type Spot, type YamlReader } from './world-schema.js';
import { markupProblem } from '../core/builder-markup.js';
import { readDuration } from './durations.js';
import { WEAR_SLOTS } from '../core/equipment.js';
import { RESPAWN_MAX_S, RESPAWN_MIN_S } from './world-areas.js';
import { INSTANCE_ID_PATTERN, readPlacements, readScript, type Placement, type ScriptDraft } from './world-sections.js';

// Reads the `items` section of one file. An item with `instances` becomes one
// definition per instance (`item/sword.1`, `item/sword.2`), each the item's own
// fields with the instance's overrides on top.

export interface ItemDraft {
  def: ItemDef;
  /** The id as written under `items:` (without the instance number). */
  baseId: string;
  baseSpot: Spot;
  /** The instance entry, or the item itself when it has no instances. */
  spot: Spot;
  contents: Placement[];
  keySpot?: Spot;
  script?: ScriptDraft;
}

// One empty list for every item that holds nothing (most of them), not one each
// while a large world is being read.
const NO_PLACEMENTS: Placement[] = Object.freeze([]) as unknown as Placement[];
const NO_REFS: Ref[] = Object.freeze([]) as unknown as Ref[];

const ITEM_KEYS = ['kind', 'name', 'keywords', 'description', 'takeable', 'script', 'instances'];
const INSTANCE_KEYS = ['name', 'description', 'keywords'];
const ARTICLES = new Set(['a', 'an', 'the', 'some']);
const KEYWORD_PATTERN = /^[a-z0-9][a-z0-9'-]*$/;

/** What every instance of one item has in common. */
interface Common {
  kind: ItemKindName;
  baseId: string;
  baseSpot: Spot;
  takeable: boolean;
  script?: ScriptDraft;
  /** The props of instances that set none of their own, made by the first such instance. */
  props?: Record<string, Json>;
}

/** Fields one level (item or instance) sets; later levels override earlier ones. */
interface Layer {
  spot: Spot;
  path: string;
  name?: string;
  description?: string;
  keywords?: string[];
  props: Record<string, Json>;
  contents?: Field;
  keySpot?: Spot;
  /** Keys written at this level, valid or not (a wrong value is reported once, not also as missing). */
  written: Set<string>;
}

export function readItems(r: YamlReader, f: Field): ItemDraft[] {
  const drafts: ItemDraft[] = [];
  for (const { key, keySpot, value } of r.entries(f) ?? []) {
    if (!ID_PATTERN.test(key)) r.fail(keySpot, `invalid item id '${key}' (use lowercase letters, digits and _)`);
    else drafts.push(...readItem(r, key, keySpot, value));
  }
  return drafts;
}

function readItem(r: YamlReader, id: string, spot: Spot, f: Field): ItemDraft[] {
  const kind = peekKind(r, f);
  if (!kind) return [];
  if ((kind === 'corpse') !== (id === 'corpse')) {
    return r.fail(spot, id === 'corpse' ? "the item 'corpse' must be of kind corpse (it is what a fallen player leaves)" : `only the item 'corpse' may be of kind corpse, not '${id}'`) ?? [];
  }
  const specs = ITEM_KINDS[kind].props;
  // name and description may come from each instance instead: checked once merged.
  const fields = r.fields(f, [...ITEM_KEYS, ...Object.keys(specs)], ['kind']);
  if (!fields) return [];
  const base = readLayer(r, f, fields, specs);
  const takeable = fields.takeable ? r.boolean(fields.takeable) : undefined;
  const script = fields.script ? readScript(r, fields.script) : undefined;
  const rule = ITEM_KINDS[kind].takeable;
  const common: Common = { kind, baseId: id, baseSpot: spot, takeable: rule !== 'never' && (takeable ?? rule === 'yes'), script };
  if (rule === 'never' && takeable) r.fail(fields.takeable!, `${f.path} is a ${kind}: it cannot be takeable`);
  if (!fields.instances) return [build(r, common, id, [base], specs)];
  const instances = r.list(fields.instances) ?? [];
  if (instances.length === 0) r.fail(fields.instances, `${fields.instances.path} must list at least one instance`);
  return instances.map((entry, i) => {
    const own = r.fields(entry, [...INSTANCE_KEYS, ...Object.keys(specs)]) ?? {};
    return build(r, common, `${id}.${i + 1}`, [base, readLayer(r, entry, own, specs)], specs);
  });
}

/** The item's kind, read first because it decides which other keys are allowed. */
function peekKind(r: YamlReader, f: Field): ItemKindName | undefined {
  if (!isMap(f.node)) return r.fail(f, `${f.path} must be a map, got ${f.node === null ? 'nothing' : 'something else'}`);
  const node = f.node.get('kind', true) as Node | undefined;
  if (node === undefined) return r.fail(f.keySpot ?? f.spot, `${f.path} is missing required key 'kind'`);
  const field = r.field(node, `${f.path}.kind`, f.spot);
  const kind = r.string(field);
  if (kind === undefined) return undefined;
  if (isItemKind(kind)) return kind;
  return r.fail(field, `unknown item kind '${kind}' (expected one of: ${ITEM_KIND_NAMES.join(', ')})`);
}

function readLayer(r: YamlReader, f: Field, fields: Partial<Record<string, Field>>, specs: Record<string, PropSpec>): Layer {
  const layer: Layer = { spot: f.keySpot ?? f.spot, path: f.path, props: {}, written: new Set(Object.keys(fields)) };
  if (fields.name) layer.name = r.string(fields.name)?.trim();
  if (fields.description) layer.description = r.string(fields.description)?.trimEnd();
  const markup = layer.description && markupProblem(layer.description);
  if (markup) r.fail(fields.description!, `description in ${f.path}: ${markup}`);
  if (fields.keywords) layer.keywords = readKeywords(r, fields.keywords);
  for (const [prop, spec] of Object.entries(specs)) {
    const field = fields[prop];
    if (!field) continue;
    if (spec.type === 'itemIds') layer.contents = field;
    else {
      if (prop === 'key') layer.keySpot = field.spot;
      const value = readProp(r, field, spec);
      if (value !== undefined) layer.props[prop] = value;
    }
  }
  return layer;
}

function readProp(r: YamlReader, f: Field, spec: PropSpec): Json | undefined {
  if (spec.type === 'boolean') return r.boolean(f);
  if (spec.type === 'slot') {
    const slot = r.string(f);
    if (slot === undefined || (WEAR_SLOTS as readonly string[]).includes(slot)) return slot;
    return r.fail(f, `${f.path} must be one of ${WEAR_SLOTS.join(', ')}, not '${slot}'`);
  }
  if (spec.type === 'duration') return readDuration(r, f, RESPAWN_MIN_S, RESPAWN_MAX_S, true);
  if (spec.type === 'itemId') return r.id(f, INSTANCE_ID_PATTERN);
  if (spec.type === 'text') {
    const text = r.string(f)?.trim();
    const markup = text && markupProblem(text);
    return markup ? r.fail(f, `${f.path}: ${markup}`) : text;
  }
  if (spec.type === 'baseIds') {
    const ids = (r.list(f) ?? []).map((entry) => r.id(entry));
    return ids.every((id) => id !== undefined) ? ids : undefined;
  }
  if (spec.type === 'roomIds') {
    const ids = (r.list(f) ?? []).map((entry) => r.id(entry));
    return ids.every((id) => id !== undefined) ? ids.map((id) => `room/${id}`) : undefined;
  }
  return r.number(f, spec.min ?? 0, spec.max, spec.type === 'integer');
}

function readKeywords(r: YamlReader, f: Field): string[] | undefined {
  const list = r.list(f);
  if (list?.length === 0) return r.fail(f, `${f.path} must list at least one word`);
  const words = (list ?? []).map((w) => {
    const word = r.string(w);
    if (word !== undefined && !KEYWORD_PATTERN.test(word)) {
      return r.fail(w, `keyword '${word}' must be a single lowercase word`);
    }
    return word;
  });
  return words.every((w) => w !== undefined) && words.length > 0 ? (words as string[]) : undefined;
}

/** One item definition from its layers, checking what only the merged whole can say. */
function build(
  r: YamlReader,
  common: Common,
  id: string,
  layers: Layer[],
  specs: Record<string, PropSpec>,
): ItemDraft {
  const top = layers[layers.length - 1];
  const ref: Ref = `item/${id}`;
  const pick = <K extends 'name' | 'description' | 'keywords'>(k: K) => layers.reduce<Layer[K]>((v, l) => l[k] ?? v, undefined);
  const name = pick('name') ?? id;
  const props = defaults(specs);
  for (const layer of layers) Object.assign(props, layer.props);
  const required = ['name', 'description', ...Object.keys(specs).filter((p) => specs[p].required)];
  for (const key of required) {
    if (!layers.some((l) => l.written.has(key))) r.fail(top.spot, `${top.path} is missing required key '${key}'`);
  }
  const contentsField = layers.reduce<Field | undefined>((v, l) => l.contents ?? v, undefined);
  const contents = contentsField ? readPlacements(r, contentsField, ref) : NO_PLACEMENTS;
  let keySpot: Spot | undefined;
  if (typeof props.key === 'string') {
    keySpot = layers.reduce<Spot | undefined>((s, l) => l.keySpot ?? s, undefined);
    props.key = `item/${props.key}`;
  }
  if (props.locked === true && props.key === undefined) r.fail(top.spot, `${top.path} is a locked ${common.kind === 'door' ? 'door' : 'container'} without a key`);
  if (props.locked === true && props.open === true) r.fail(top.spot, `${top.path} cannot be both open and locked`);
  const def: ItemDef = {
    kind: common.kind,
    ref,
    id,
    name,
    keywords: pick('keywords') ?? keywordsOf(name),
    description: pick('description') ?? '',
    takeable: common.takeable,
    // Instances that set no props of their own share one props object (the same value).
    props: layers.length > 1 && layers.every((l, i) => i === 0 || Object.keys(l.props).length === 0) ? (common.props ??= props) : props,
    contents: contents.length > 0 ? contents.map((p) => `item/${p.id}`) : NO_REFS,
  };
  return { def, baseId: common.baseId, baseSpot: common.baseSpot, spot: top.spot, contents, keySpot, script: common.script };
}

function defaults(specs: Record<string, PropSpec>): Record<string, Json> {
  const props: Record<string, Json> = {};
  for (const [prop, spec] of Object.entries(specs)) if (spec.fallback !== undefined) props[prop] = spec.fallback;
  return props;
}

/** "a slightly damaged sword" answers to slightly, damaged, sword. */
export function keywordsOf(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9'-]+/).filter((w) => w !== '' && !ARTICLES.has(w));
}

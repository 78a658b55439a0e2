import { isRef } from '../world/core/types.js';
import { KINDS, uniformTable, type KindName, type ModeTable } from '../dispatch/mode-table.js';
import type { ModeSnapshot } from '../lattice/lattice.js';
import { isMode, MODES, type Mode } from './registry.js';

/** Parses `actor`, `room=function,item=actor,default=actor`, or
 *  `room/mystical_plaza=function` (object entries may be mixed in). Applied on
 *  top of `base` so `mud dispatch room/x=function` changes only that object;
 *  `ref=default` removes an object's override. Throws a one-line Error on bad input. */
export function parseModeSpec(spec: string, base?: ModeTable): ModeTable {
  const text = spec.trim();
  if (!text) throw new Error(`empty dispatch spec; expected one of ${MODES.join(', ')} or kind=mode pairs`);
  if (!text.includes('=')) {
    if (!isMode(text)) throw new Error(`unknown dispatch mode "${text}"; expected one of ${MODES.join(', ')}`);
    return uniformTable(text);
  }
  const table: ModeTable = base
    ? { default: base.default, kinds: { ...base.kinds }, objects: { ...base.objects } }
    : uniformTable('in-process' satisfies Mode);
  for (const pair of text.split(',')) applyPair(table, pair.trim());
  return table;
}

function applyPair(table: ModeTable, pair: string): void {
  const [key, value, extra] = pair.split('=').map((s) => s.trim());
  if (!key || value === undefined || extra !== undefined) throw new Error(`bad dispatch entry "${pair}"; expected key=mode`);
  if (key.includes('/')) {
    if (!isRef(key)) throw new Error(`"${key}" is not a valid object ref (e.g. room/mystical_plaza)`);
    if (value === 'default') delete table.objects[key];
    else table.objects[key] = checkedMode(value, pair);
  } else if (key === 'default') {
    table.default = checkedMode(value, pair);
  } else if ((KINDS as readonly string[]).includes(key)) {
    if (value === 'default') delete table.kinds[key as KindName];
    else table.kinds[key as KindName] = checkedMode(value, pair);
  } else {
    throw new Error(`unknown kind "${key}" in "${pair}"; expected ${KINDS.join(', ')}, default, or an object ref`);
  }
}

function checkedMode(value: string, pair: string): Mode {
  if (!isMode(value)) throw new Error(`unknown mode "${value}" in "${pair}"; expected one of ${MODES.join(', ')}`);
  return value;
}

/** A table read from the cluster's store, checked: every mode must be one this server knows. */
export function tableFromSnapshot(s: ModeSnapshot): ModeTable {
  const bad = [s.default, ...Object.values(s.kinds), ...Object.values(s.objects)].find((m) => !isMode(m));
  if (bad !== undefined) throw new Error(`the cluster's mode table names an unknown mode "${bad}"`);
  return { default: s.default, kinds: { ...s.kinds }, objects: { ...s.objects } };
}

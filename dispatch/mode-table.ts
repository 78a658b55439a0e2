import type { Ref } from '../world/core/types.js';
import type { ModeName } from './dispatcher.js';
import { modeIn } from '../lattice/lattice.js';

export const KINDS = ['room', 'item', 'player'] as const;
export type KindName = (typeof KINDS)[number];

/** Which mode each object runs in: a default, per-kind overrides, per-object overrides.
 *  Read from text or from the cluster's store by modes/parse-modes.ts, which checks the names. */
export interface ModeTable {
  default: ModeName;
  kinds: Partial<Record<KindName, ModeName>>;
  objects: Record<Ref, ModeName>;
}

export function uniformTable(mode: ModeName): ModeTable {
  return { default: mode, kinds: {}, objects: {} };
}

/** Every mode the table sends some object to. */
export function modesIn(table: ModeTable): Set<ModeName> {
  return new Set([table.default, ...Object.values(table.kinds), ...Object.values(table.objects)]);
}

export function modeOf(table: ModeTable, ref: Ref): ModeName {
  return modeIn(table, ref);
}

/** `actor` or `default=actor, room=function, room/mystical_plaza=in-process` */
export function formatModeTable(table: ModeTable): string {
  const parts = [
    ...Object.entries(table.kinds).map(([k, m]) => `${k}=${m}`),
    ...Object.entries(table.objects).map(([r, m]) => `${r}=${m}`),
  ];
  return parts.length ? [`default=${table.default}`, ...parts].join(', ') : table.default;
}

export function tablesEqual(a: ModeTable, b: ModeTable): boolean {
  return formatModeTable(a) === formatModeTable(b);
}

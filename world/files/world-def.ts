import type { AreaDef, ItemDef, Ref, RoomDef } from '../core/types.js';
import type { SocialDef } from '../commands/socials.js';

/** A loaded world as plain data: what the loader produces, what nodes receive
 *  (it crosses worker and process boundaries as JSON), and what `World` wraps. */
export interface WorldDefinition {
  name: string;
  /** Directory it was loaded from (absolute). */
  source: string;
  startRoom: Ref;
  rooms: Record<Ref, RoomDef>;
  items: Record<Ref, ItemDef>;
  /** By id; rooms outside every declared area are in `DEFAULT_AREA`. */
  areas: Record<string, AreaDef>;
  /** The gestures players can make, by the word they type (world/commands/socials.ts); absent in older saves. */
  socials?: Record<string, SocialDef>;
}

/** One problem found in a world's files, pointing at where to fix it. */
export interface WorldError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export function formatWorldError(e: WorldError): string {
  return `${e.file}:${e.line}:${e.column}: ${e.message}`;
}

import type { StoredRecord } from './item-audit.js';
import { DEDUPE_WINDOW } from '../world/core/turn.js';

// What an object's outbox window (world/core/turn.ts `recent`) proves about a message sent to it:
// the window holds every id the object applied since its oldest entry (what it holds past the window,
// world/core/outbox-hold.ts, was applied too).

/** Did `to` certainly never apply message `id` (sent at `sentAt`)? A window not yet full, or one whose
 *  oldest entry is older than the send, settles it; a missing record has applied nothing. */
export function neverApplied(to: StoredRecord | undefined, id: string, sentAt: number | undefined): boolean {
  const recent = to?.recent ?? [];
  if (recent.some(([seen]) => seen === id) || to?.held?.some(([seen]) => seen === id)) return false;
  if (recent.length < DEDUPE_WINDOW) return true;
  const oldest = recent[0][2];
  return oldest !== undefined && sentAt !== undefined && oldest < sentAt;
}

// A timer whose every try failed (a store electing a leader, a node cut off) is fired again later from its record
// (dispatch/turn-failures.ts). Its last try may have applied all the same: the write landed, the answer was lost.
// Between the give-up and the next fire the engine's word (Msg.delivery) must keep its id open, or a home lets
// the timer's outbox entry go (world/core/outbox-hold.ts) and the next fire, finding the timer gone from the
// record, would leave what that turn sent (a creature walking out, an item respawned) in no one's hands.
import { afterEach, expect, it, vi } from 'vitest';
import { Deliveries } from '../dispatch/deliveries.js';
import { TurnFailures, type FailureHost } from '../dispatch/turn-failures.js';
import { CommandTracker } from '../dispatch/command-tracker.js';
import type { Outlet } from '../dispatch/outlet.js';
import { silentLogger } from '../support/logger.js';
import { slideWindow, type OutboxEntry } from '../world/core/outbox-hold.js';
import type { Msg, Ref } from '../world/core/types.js';

const ROOM: Ref = 'room/lantern_market';
const TIMER: Msg = { id: 'tq1k1', type: 'timer' };
/** The try after the last of RETRY_DELAYS_MS (dispatch/turn-retries.ts): given up, not scheduled again. */
const LAST_TRY = 6;

afterEach(() => {
  vi.useRealTimers();
});

function setup(): { deliveries: Deliveries; failures: TurnFailures; due: string[] } {
  const deliveries = new Deliveries('gw1');
  const due: string[] = [];
  const host: FailureHost = {
    deliver: () => undefined,
    track: () => new CommandTracker(),
    deliveries,
    refresh: async () => false,
    timerDue: (_ref, id) => void due.push(id),
    outlet: { tell: () => undefined } as unknown as Outlet,
    log: silentLogger(),
  };
  return { deliveries, failures: new TurnFailures(host), due };
}

/** The engine's next word to the room, and whether a home holding the timer's entry keeps it on that word. */
function nextWord(deliveries: Deliveries, entry: OutboxEntry, id: string): { open: string[]; held: boolean } {
  const stamped = deliveries.stamp(ROOM, { id, type: 'say' });
  deliveries.ended(ROOM, stamped.delivery!.n);
  const slid = slideWindow([entry], undefined, [], 0, stamped, Date.now());
  return { open: stamped.delivery!.open, held: (slid.held ?? []).some((e) => e[0] === TIMER.id) };
}

it('timer given up - its id stays open in the word until it is fired again, so its applied turn stays held', () => {
  const { deliveries, failures, due } = setup();
  // The last try: stamped, applied at the home (its entry stamped with the try), its answer lost.
  const last = deliveries.stamp(ROOM, TIMER);
  const entry: OutboxEntry = [TIMER.id, [], Date.now(), 'gw1', last.delivery!.n];
  deliveries.ended(ROOM, last.delivery!.n);
  failures.failed(ROOM, TIMER, new CommandTracker(), LAST_TRY, false, new Error('no quorum'));
  expect(due).toEqual([TIMER.id]);

  const meanwhile = nextWord(deliveries, entry, 'm2');
  expect(meanwhile.open).toContain(TIMER.id);
  expect(meanwhile.held).toBe(true);

  // Fired again: its try begins (here it would find the entry and deliver what it kept), then ends.
  const again = deliveries.stamp(ROOM, TIMER);
  expect(again.delivery!.open).not.toContain(TIMER.id);
  deliveries.ended(ROOM, again.delivery!.n);
  const after = nextWord(deliveries, entry, 'm3');
  expect(after.open).toEqual([]);
  expect(after.held).toBe(false);
});

it('timer given up - fired elsewhere or cancelled: the id is let go after its time, not held for good', () => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const { deliveries, failures } = setup();
  const last = deliveries.stamp(ROOM, TIMER);
  deliveries.ended(ROOM, last.delivery!.n);
  failures.failed(ROOM, TIMER, new CommandTracker(), LAST_TRY, false, new Error('no quorum'));
  const entry: OutboxEntry = [TIMER.id, [], Date.now(), 'gw1', last.delivery!.n];
  vi.advanceTimersByTime(60_000);
  expect(nextWord(deliveries, entry, 'm2').open).toContain(TIMER.id);
  vi.advanceTimersByTime(61_000);
  const late = nextWord(deliveries, entry, 'm3');
  expect(late.open).toEqual([]);
  expect(late.held).toBe(false);
});

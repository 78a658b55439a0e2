import { Box, Text } from 'ink';
import type { MonitorEvent } from './monitor-state.js';
import { clock, fit } from './format.js';
import { foldEvents } from './event-fold.js';

export interface EventListProps {
  events: MonitorEvent[];
  rows: number;
  width: number;
}

const COLORS: Record<string, string | undefined> = { warn: 'yellow', error: 'red', action: 'cyan' };

/** The server's last events, oldest at the top: nodes joining, leaving or crashing, mode switches
 *  with how long players were paused, shards, the party. What a key pressed here did is on the
 *  `you:` line below, once. A burst of one event that varies in one field (a storm of turn retries)
 *  folds into one line with a count and that field's values (event-fold.ts). */
export function EventList({ events, rows, width }: EventListProps) {
  const shown = foldEvents(events).slice(-rows);
  return (
    <Box flexDirection="column">
      <Text dimColor>events</Text>
      {shown.length === 0 ? <Text dimColor>(nothing yet)</Text> : null}
      {shown.map(({ event: e, count, text }) => (
        <Text key={e.key} color={COLORS[e.level]}>{fit(`${clock(e.time)} ${count > 1 ? `×${count} ` : ''}${text}`, width)}</Text>
      ))}
    </Box>
  );
}

/** The last action taken here, kept in sight however busy the event list gets: wrapped, never cut
 *  (a party's result is longer than a line at 80 columns). */
export function LastAction({ event, width }: { event: MonitorEvent; width: number }) {
  return <Text color={COLORS[event.level]} wrap="wrap">{lastActionText(event).padEnd(width)}</Text>;
}

function lastActionText(event: MonitorEvent): string {
  return `${clock(event.time)} you: ${event.text}`;
}

/** Rows the action line takes at this width. */
export function lastActionRows(event: MonitorEvent | undefined, width: number): number {
  return event ? Math.max(1, Math.ceil(lastActionText(event).length / width)) : 0;
}

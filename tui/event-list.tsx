import { Box, Text } from 'ink';
import type { MonitorEvent } from './monitor-state.js';
import { clock, fit } from './format.js';

export interface EventListProps {
  events: MonitorEvent[];
  rows: number;
  width: number;
}

const COLORS: Record<string, string | undefined> = { warn: 'yellow', error: 'red', action: 'cyan' };

/** The last events, oldest at the top: nodes joining, leaving or crashing,
 *  mode switches with how long players were paused, shards, the party, and
 *  the result of every key pressed here. A burst of the same event (a storm
 *  of turn retries) folds into one line with a count. */
export function EventList({ events, rows, width }: EventListProps) {
  const shown = collapse(events).slice(-rows);
  return (
    <Box flexDirection="column">
      <Text dimColor>events</Text>
      {shown.length === 0 ? <Text dimColor>(nothing yet)</Text> : null}
      {shown.map(({ event: e, count }) => (
        <Text key={e.key} color={COLORS[e.level]}>{fit(`${clock(e.time)} ${count > 1 ? `×${count} ` : ''}${e.text}`, width)}</Text>
      ))}
    </Box>
  );
}

/** The last action taken here, kept in sight however busy the event list gets. */
export function LastAction({ event, width }: { event: MonitorEvent; width: number }) {
  return <Text color={COLORS[event.level]}>{fit(`${clock(event.time)} you: ${event.text}`, width)}</Text>;
}

/** Runs of events with the same name ("turn retry", "turn failed") become one: the latest, with how many. */
export function collapse(events: MonitorEvent[]): Array<{ event: MonitorEvent; count: number }> {
  const out: Array<{ event: MonitorEvent; count: number }> = [];
  for (const e of events) {
    const last = out.at(-1);
    if (last && !e.key.startsWith('action-') && nameOf(last.event) === nameOf(e)) {
      last.event = e;
      last.count += 1;
    } else out.push({ event: e, count: 1 });
  }
  return out;
}

function nameOf(e: MonitorEvent): string {
  const at = e.text.search(/ \w+=/);
  return `${e.level} ${at < 0 ? e.text : e.text.slice(0, at)}`;
}

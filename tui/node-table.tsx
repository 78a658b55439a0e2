import { Box, Text } from 'ink';
import type { NodeRow } from '../ops/status.js';
import { nodesOnFirstUseLine } from '../ops/status-text.js';
import { bar, loadColor } from './bar.js';
import { fit, ms, num, pct } from './format.js';
import { sparkline } from './sparkline.js';

export interface NodeTableProps {
  nodes: NodeRow[];
  history: Record<string, number[]>;
  barWidth: number;
  sparkWidth: number;
  /** Nodes not started yet (status.nodesOnFirstUse): said under the rows. */
  onFirstUse?: number;
}

/** One row per node, the gateway first: event-loop load as a bar, turns/s,
 *  mailbox depth, objects homed, p50/p99 turn latency, and the last minute of
 *  turns/s on one scale for all rows, so the busiest node stands out. */
export function NodeTable({ nodes, history, barWidth, sparkWidth, onFirstUse }: NodeTableProps) {
  const max = Math.max(1, ...Object.values(history).flat());
  const rate = (n: NodeRow) => recentRate(history[n.id], n.turnsPerSec);
  const busiest = Math.max(...nodes.map(rate));
  // Node ids of a cluster carry their gateway's (gw-a-n1): the column grows for them, the sparkline gives way.
  const idWidth = Math.min(16, Math.max(9, ...nodes.map((n) => n.id.length)));
  const spark = Math.max(4, sparkWidth - (idWidth - 9));
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {`${fit('node', idWidth)} ${fit('event loop', barWidth + 5)} ${fit('turns/s', 8, 'right')}${fit('mbox', 6, 'right')}${fit('objs', 6, 'right')}${fit('p50ms', 7, 'right')}${fit('p99ms', 7, 'right')}  ${fit('last minute', spark)}`}
      </Text>
      {nodes.map((n) => (
        <Text key={n.id}>
          <Text bold={rate(n) === busiest && busiest > 0}>{fit(n.id, idWidth)}</Text>{' '}
          <Text color={loadColor(n.elu)}>{bar(n.elu, barWidth)}</Text>
          {fit(pct(n.elu), 5, 'right')} {fit(num(rate(n)), 8, 'right')}
          <Text color={n.mailbox > 100 ? 'red' : undefined}>{fit(num(n.mailbox), 6, 'right')}</Text>
          {fit(num(n.objects), 6, 'right')}{fit(ms(n.p50Ms), 7, 'right')}{fit(ms(n.p99Ms), 7, 'right')}{'  '}
          <Text color="cyan">{sparkline(history[n.id] ?? [], spark, max)}</Text>
        </Text>
      ))}
      {onFirstUse ? <Text dimColor>{nodesOnFirstUseLine(onFirstUse)}</Text> : null}
    </Box>
  );
}

/** Nodes report their counters once a second and frames come twice a second,
 *  so a single frame's rate jumps between 0 and double: show the last 2 s. */
export function recentRate(samples: number[] | undefined, latest: number): number {
  const recent = (samples ?? []).slice(-RECENT_SAMPLES);
  return recent.length ? recent.reduce((a, b) => a + b, 0) / recent.length : latest;
}

const RECENT_SAMPLES = 4;

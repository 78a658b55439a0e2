import { Box, Text } from 'ink';
import type { GatewayRow } from '../ops/status.js';
import { bar, loadColor } from './bar.js';
import { fit, ms, num, pct } from './format.js';

export interface GatewayTableProps {
  gateways: GatewayRow[];
  barWidth: number;
  width: number;
}

/** One row per gateway of the cluster (shown only when there are several, or one
 *  joined by NATS): its event loop as a bar, sockets, commands/s, lines fanned
 *  out/s, command latency, the epoch it acts on (they agree but mid-switch), and
 *  the lines it fanned out per room line heard over NATS (the once-per-gateway saving). */
export function GatewayTable({ gateways, barWidth, width }: GatewayTableProps) {
  const busiest = Math.max(...gateways.map((g) => g.elu));
  const idWidth = Math.max(9, Math.min(24, width - GATEWAY_FIXED - barWidth));
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {`${fit('gateway', idWidth)} ${fit('event loop', barWidth + 5)} ${fit('socks', 6, 'right')}${fit('cmd/s', 7, 'right')}${fit('lines/s', 8, 'right')}${fit('p50ms', 7, 'right')}${fit('p99ms', 7, 'right')}${fit('epoch', 6, 'right')}${fit('l/msg', 6, 'right')}`}
      </Text>
      {gateways.map((g) => (
        <Text key={g.id}>
          <Text bold={g.elu === busiest && gateways.length > 1}>{fit(g.id, idWidth)}</Text>{' '}
          <Text color={loadColor(g.elu)}>{bar(g.elu, barWidth)}</Text>
          {fit(pct(g.elu), 5, 'right')}{fit(num(g.sockets), 6, 'right')}{fit(num(g.commandsPerSec), 7, 'right')}
          {fit(num(g.linesPerSec), 8, 'right')}{fit(ms(g.p50Ms), 7, 'right')}{fit(ms(g.p99Ms), 7, 'right')}
          <Text color={g.epoch !== gateways[0].epoch ? 'yellow' : undefined}>{fit(String(g.epoch), 6, 'right')}</Text>
          {fit(num(g.linesPerNatsMsg ?? 0), 6, 'right')}
        </Text>
      ))}
    </Box>
  );
}

/** Everything but the id and the bar: gaps, pct, sockets, cmd/s, lines/s, p50, p99, epoch, lines per NATS message. */
export const GATEWAY_FIXED = 1 + 5 + 6 + 7 + 8 + 7 + 7 + 6 + 6;

/** Rows the gateway table takes: none for a lone embedded server. */
export function gatewayRows(gateways: GatewayRow[] | undefined): number {
  return gateways?.length ? gateways.length + 1 : 0;
}

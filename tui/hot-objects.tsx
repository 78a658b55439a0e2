import { Box, Text } from 'ink';
import type { HotRow } from '../ops/status.js';
import { fit, num } from './format.js';

export interface HotObjectsProps {
  hot: HotRow[];
  rows: number;
  refWidth: number;
}

/** The busiest objects: turns/s, where they run (home node, gateway, or "no
 *  home" as functions), CAS conflicts/s and mailbox depth. */
export function HotObjects({ hot, rows, refWidth }: HotObjectsProps) {
  // Homes in a cluster are named after their gateway (gw-a-n1): the column grows, the ref gives way.
  const homeWidth = Math.min(16, Math.max(10, ...hot.slice(0, rows).map((h) => h.home.length + 1)));
  const refs = Math.max(16, refWidth - (homeWidth - 10));
  return (
    <Box flexDirection="column">
      <Text dimColor>
        {`${fit('hottest objects', refs)} ${fit('turns/s', 8, 'right')}  ${fit('home', homeWidth)}${fit('mode', 12)}${fit('conflicts/s', 12, 'right')}${fit('mbox', 7, 'right')}`}
      </Text>
      {hot.length === 0 ? <Text dimColor>(none: the world is quiet)</Text> : null}
      {hot.slice(0, rows).map((h) => (
        <Text key={h.ref}>
          {fit(h.ref, refs)} {fit(num(h.turnsPerSec), 8, 'right')}{'  '}
          <Text color={h.home === 'no home' ? 'magenta' : 'cyan'}>{fit(h.home, homeWidth)}</Text>
          {fit(h.mode, 12)}
          <Text color={h.conflictsPerSec > 0 ? 'yellow' : undefined}>{fit(num(h.conflictsPerSec), 12, 'right')}</Text>
          <Text color={h.mailbox > 100 ? 'red' : undefined}>{fit(num(h.mailbox), 7, 'right')}</Text>
        </Text>
      ))}
    </Box>
  );
}

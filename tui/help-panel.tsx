import { RAID_GUESTS } from './admin-actions.js';
import { Box, Text } from 'ink';

const HELP = [
  ['1 2 3', 'run every object in-process (one core), as actors (homed on nodes), or as functions (any node, state in the store)'],
  ['p', 'throw a party (asks how many guests, default 1,000) or send the guests home'],
  ['r', `a raid: ${RAID_GUESTS} guests attack the Lantern Wyrm, one write-hot object (r again sends them home)`],
  ['s', `toggle sharding: a crowded room opens shards on other nodes (100 players each)`],
  ['+ / -', 'add a node, or stop the last one politely'],
  ['k', 'kill the last node (fault injection: its worker is terminated; a replacement starts)'],
  ['?', 'this help; any key closes it'],
  ['q', 'quit the monitor (the server keeps running)'],
];

/** What the keys do, in place of the hot objects and events while open. */
export function HelpPanel({ width, rows }: { width: number; rows: number }) {
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Text bold>keys</Text>
      {HELP.map(([key, what]) => (
        <Text key={key} wrap="truncate-end"><Text bold color="cyan">{key.padEnd(6)}</Text> {what}</Text>
      ))}
    </Box>
  );
}

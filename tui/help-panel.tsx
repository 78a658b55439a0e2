import { RAID_GUESTS } from './admin-actions.js';
import { Box, Text } from 'ink';
import { listWords, MODE_KEYS, MODE_REGISTRY } from '../modes/registry.js';

// Each line fits 80 columns (the key column takes 7); longer ones wrap.
const HELP = [
  [MODE_KEYS.map(([key]) => key).join(' '), `every object ${listWords(MODE_KEYS.map(([, mode]) => MODE_REGISTRY[mode].monitorHelp), 'or')}`],
  ['p', 'party: asks "How many guests?", Enter = 1,000; p again sends them home'],
  ['r', `raid: ${RAID_GUESTS} guests attack the Lantern Wyrm; r again ends it`],
  ['s', 'sharding (actor mode): a crowded room opens shards of 100 players'],
  ['+ / -', 'add a node, or stop the last one politely'],
  ['k', 'kill the last node (its worker is terminated; a replacement starts)'],
  ['?', 'this help; any key closes it'],
  ['q', 'quit the monitor (the server keeps running)'],
];

/** What the keys do, in place of the hot objects and events while open. */
export function HelpPanel({ width, rows }: { width: number; rows: number }) {
  return (
    <Box flexDirection="column" width={width} height={rows}>
      <Text bold>keys</Text>
      {HELP.map(([key, what]) => (
        <Text key={key} wrap="wrap"><Text bold color="cyan">{key.padEnd(6)}</Text> {what}</Text>
      ))}
    </Box>
  );
}

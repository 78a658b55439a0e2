import { Text } from 'ink';
import { MODE_KEYS } from '../modes/registry.js';

const KEYS: ReadonlyArray<readonly [string, string]> = [
  ...MODE_KEYS, ['p', 'party'], ['s', 'shards'], ['+/-', 'node'], ['k', 'kill'], ['?', 'help'], ['q', 'quit'],
];

/** The keys, one line. */
export function Footer({ width }: { width: number }) {
  let used = 0;
  const parts = KEYS.filter(([key, what]) => (used += key.length + what.length + 2) <= width);
  return (
    <Text>
      {parts.map(([key, what]) => (
        <Text key={key}><Text inverse bold>{key}</Text> {what}{' '}</Text>
      ))}
    </Text>
  );
}

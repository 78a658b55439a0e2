import { Text } from 'ink';

const KEYS: Array<[string, string]> = [
  ['1', 'in-process'], ['2', 'actor'], ['3', 'function'], ['p', 'party'], ['s', 'shards'], ['+/-', 'node'], ['k', 'kill'], ['?', 'help'], ['q', 'quit'],
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

import { Text } from 'ink';
import { LIMIT, type Bottleneck } from '../dispatch/bottleneck.js';
import { fit } from './format.js';

/** The bottleneck in words, under the header. The words carry the meaning ("the
 *  limit now", "not yet a limit"); the colour only repeats it. */
export function BottleneckLine({ bottleneck, width }: { bottleneck: Bottleneck | undefined; width: number }) {
  if (!bottleneck) return <Text>{fit('bottleneck: …', width)}</Text>;
  const color = bottleneck.kind === 'none' ? 'green' : bottleneck.severity >= LIMIT ? 'red' : 'yellow';
  return <Text color={color} bold={bottleneck.severity >= LIMIT}>{fit(`bottleneck: ${bottleneck.text}`, width)}</Text>;
}

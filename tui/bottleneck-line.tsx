import { Text } from 'ink';
import { LIMIT, type Bottleneck } from '../ops/bottleneck.js';

const LABEL = 'bottleneck: ';

/** The bottleneck in words, under the header. The words carry the meaning ("the
 *  limit now", "not yet a limit"); the colour only repeats it. */
export function BottleneckLine({ bottleneck, width }: { bottleneck: Bottleneck | undefined; width: number }) {
  if (!bottleneck) return <Text>{`${LABEL}…`}</Text>;
  const color = bottleneck.kind === 'none' ? 'green' : bottleneck.severity >= LIMIT ? 'red' : 'yellow';
  // Wrapped, never cut: the end of the line ("the limit now") is the point.
  return (
    <Text color={color} bold={bottleneck.severity >= LIMIT} wrap="wrap">
      {bottleneckText(bottleneck).padEnd(width)}
    </Text>
  );
}

function bottleneckText(b: Bottleneck): string {
  return `${LABEL}${b.text}`;
}

/** Rows the line takes at this width (one, or two on a narrow terminal). */
export function bottleneckRows(b: Bottleneck | undefined, width: number): number {
  return b ? Math.max(1, Math.ceil(bottleneckText(b).length / width)) : 1;
}

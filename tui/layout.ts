/** How the monitor spends a terminal: fixed columns for figures, the rest for
 *  the sparkline and object names; rows for the node table first, then hot
 *  objects and events share what is left. Everything stays one line short of
 *  the screen, because ink clears the whole screen (a flicker) when output fills it. */
export interface Layout {
  width: number;
  barWidth: number;
  sparkWidth: number;
  refWidth: number;
  hotRows: number;
  eventRows: number;
}

/** node, bar, pct, turns/s, mailbox, objects, p50, p99 and their gaps; the bar's width is added. */
export const NODE_FIXED = 9 + 1 + 5 + 1 + 8 + 6 + 6 + 7 + 7 + 2;
/** turns/s, home, mode, conflicts/s, mailbox and their gaps (the ref takes the rest). */
export const HOT_FIXED = 1 + 8 + 2 + 10 + 12 + 12 + 7;

/** The width drawn on: one column short of the terminal (see above), at least 60. */
export function screenWidth(columns: number): number {
  return Math.max(60, columns - 1);
}

export function layoutFor(columns: number, rows: number, nodes: number, hot: number, shardLine: boolean, bottleneckRows = 1): Layout {
  const width = screenWidth(columns);
  const barWidth = width >= 118 ? 20 : 10;
  const sparkWidth = Math.max(8, width - NODE_FIXED - barWidth);
  const refWidth = Math.max(16, Math.min(48, width - HOT_FIXED));
  // header (2), bottleneck, node heading + rows, shard line, hot heading, events heading, footer
  const fixed = 2 + bottleneckRows + 1 + nodes + (shardLine ? 1 : 0) + 1 + 1 + 1;
  const rest = Math.max(2, rows - 1 - fixed);
  const hotRows = Math.max(1, Math.min(Math.max(hot, 1), 10, Math.ceil(rest * 0.4)));
  return { width, barWidth, sparkWidth, refWidth, hotRows, eventRows: Math.max(1, rest - hotRows) };
}

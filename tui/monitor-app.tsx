import { useCallback, useEffect, useReducer, useRef, type Dispatch } from 'react';
import { Box, useApp, useInput } from 'ink';
import { keyAction, partyAction, RAID_GUESTS, type AdminAction, type AdminClient } from './admin-actions.js';
import type { FrameSource } from './metrics-stream.js';
import { initialState, monitorReducer, type MonitorChange } from './monitor-state.js';
import { layoutFor, screenWidth } from './layout.js';
import { useTerminalSize } from './use-terminal-size.js';
import { Header } from './header.js';
import { BottleneckLine, bottleneckRows } from './bottleneck-line.js';
import { NodeTable } from './node-table.js';
import { GatewayTable, gatewayRows } from './gateway-table.js';
import { ShardLine, showsShards } from './shard-line.js';
import { HotObjects } from './hot-objects.js';
import { EventList, LastAction, lastActionRows } from './event-list.js';
import { Footer } from './footer.js';
import { HelpPanel } from './help-panel.js';
import { PartyPrompt, partyKey } from './party-prompt.js';

export interface MonitorAppProps {
  source: FrameSource;
  admin: AdminClient;
  /** A fixed size instead of the terminal's (tests). */
  columns?: number;
  rows?: number;
  onQuit?(): void;
}

/** The node monitor: what every node is doing, the hottest objects, the store,
 *  the last events, and keys that change the running server. */
export function MonitorApp({ source, admin, columns, rows, onQuit }: MonitorAppProps) {
  const [state, change] = useReducer(monitorReducer, initialState);
  // Keys can arrive faster than React re-renders (a paste, a script): the
  // prompt and help state live in a ref so each key sees the one before it.
  const ui = useRef<{ typed: string | undefined; help: boolean }>({ typed: undefined, help: false });
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const size = useTerminalSize(columns, rows);
  const { exit } = useApp();
  const seq = useRef(0);
  const latest = useRef(state);
  latest.current = state;

  useEffect(() => source.subscribe(
    (status) => change({ t: 'frame', status }),
    (connected, why) => change({ t: 'link', connected, why }),
  ), [source]);

  const act = useCallback((action: AdminAction, party?: 'start' | 'stop') => {
    void runAction(action, admin, change, `action-${++seq.current}`, party);
  }, [admin]);

  useInput((input, key) => {
    const u = ui.current;
    if (u.typed !== undefined) {
      const next = partyKey(u.typed, input, key);
      u.typed = 'typed' in next ? next.typed : undefined;
      if ('done' in next) act(partyAction({ guests: next.done }), 'start');
    } else if (u.help) u.help = false;
    else if (input === 'q') {
      onQuit?.();
      exit();
    } else if (input === '?') u.help = true;
    else if (input === 'p') {
      if (latest.current.partyOn) act(partyAction({ stop: true }), 'stop');
      else u.typed = '';
    } else if (input === 'r') {
      if (latest.current.partyOn) act(partyAction({ stop: true }), 'stop');
      else act(partyAction({ guests: RAID_GUESTS, raid: true }), 'start');
    } else {
      const action = keyAction(input, latest.current.status);
      if (action) act(action);
    }
    redraw();
  });

  const { typed, help } = ui.current;
  const status = state.status;
  const nodes = status?.nodes ?? [];
  const shardLine = showsShards(status);
  const lastAction = state.lastAction;
  // The pinned action line costs a row, counted with the node rows.
  const limitRows = bottleneckRows(status?.bottleneck, screenWidth(size.columns));
  const gateways = status?.gateways;
  const layout = layoutFor(size.columns, size.rows, nodes.length + (status?.nodesOnFirstUse ? 1 : 0) + lastActionRows(lastAction, screenWidth(size.columns)) + gatewayRows(gateways), status?.hot.length ?? 0, shardLine, limitRows);
  return (
    <Box flexDirection="column" width={layout.width}>
      <Header status={status} connected={state.connected} why={state.why} partyOn={state.partyOn} width={layout.width} />
      <BottleneckLine bottleneck={status?.bottleneck} width={layout.width} />
      {gateways?.length ? <GatewayTable gateways={gateways} barWidth={layout.barWidth} width={layout.width} /> : null}
      <NodeTable nodes={nodes} history={state.history} barWidth={layout.barWidth} sparkWidth={layout.sparkWidth} onFirstUse={status?.nodesOnFirstUse} />
      {shardLine && status ? <ShardLine shards={status.shards} sharding={status.sharding} width={layout.width} /> : null}
      {help ? <HelpPanel width={layout.width} rows={layout.hotRows + layout.eventRows + 2} /> : (
        <>
          <HotObjects hot={status?.hot ?? []} rows={layout.hotRows} refWidth={layout.refWidth} />
          <EventList events={state.events} rows={layout.eventRows} width={layout.width} />
        </>
      )}
      {lastAction ? <LastAction event={lastAction} width={layout.width} /> : null}
      {typed !== undefined ? <PartyPrompt typed={typed} /> : <Footer width={layout.width} />}
    </Box>
  );
}

/** Shows the action at once ("…"), then its result or error in the same event line. */
async function runAction(action: AdminAction, admin: AdminClient, change: Dispatch<MonitorChange>, key: string, party?: 'start' | 'stop'): Promise<void> {
  const time = Date.now();
  change({ t: 'event', event: { key, time, level: 'action', text: `${action.label}…` } });
  try {
    const result = await action.run(admin);
    change({ t: 'event', event: { key, time, level: 'action', text: `${action.label}: ${result}` } });
    if (party) change({ t: 'party', on: party === 'start' });
  } catch (err) {
    const message = (err as Error).message;
    change({ t: 'event', event: { key, time, level: 'error', text: `${action.label} failed: ${message}` } });
    if (party === 'start' && /already running/.test(message)) change({ t: 'party', on: true });
  }
}

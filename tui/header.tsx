import { Box, Text } from 'ink';
import type { Status } from '../ops/status.js';
import { fit, num, pct } from './format.js';

export interface HeaderProps {
  status: Status | undefined;
  connected: boolean;
  why: string | undefined;
  partyOn: boolean;
  width: number;
}

/** Two lines: the mode (per kind when mixed), players, party and sharding, the
 *  link; then the store's ops/s and CAS conflicts/s, and the timers' lag. */
export function Header({ status, connected, why, partyOn, width }: HeaderProps) {
  const link = connected ? '● live' : `○ ${why ?? 'connecting'}`;
  const mode = status ? status.mode : '…';
  // The shard line under the nodes says the rest ("switch to actor to shard").
  const sharding = status ? status.sharding.replace(/^actor only.*/, 'actor only') : '…';
  const epoch = status?.gateways?.length ? ` (epoch ${status.epoch ?? 0})` : '';
  // The host's CPU beside the threads': two cores shared by everything can be full while no thread is.
  const host = status?.host ? `   cpu: ${pct(status.host.busy)} of ${status.host.cores}` : '';
  const left = `mode: ${mode}${epoch}   players: ${status ? num(status.players) : '…'}   party: ${partyOn ? 'on' : 'off'}   sharding: ${sharding}${host}`;
  const s = status?.store;
  const store = s
    ? `store (${s.kind}): ${num(s.opsPerSec)} ops/s (${num(s.readsPerSec)} reads, ${num(s.writesPerSec)} writes)   CAS conflicts: ${num(s.conflictsPerSec)}/s   commits: ${num(s.commitsPerSec)}/s`
    : 'store: …';
  const t = status?.timers;
  const timers = t ? `   timers: ${num(t.pending)} pending, lag p99 ${num(t.lagP99Ms)} ms` : '';
  const room = Math.max(10, width - link.length - 1);
  return (
    <Box flexDirection="column" width={width}>
      <Text>
        <Text bold>{fit(left, room)}</Text> <Text color={connected ? 'green' : 'red'}>{link}</Text>
      </Text>
      <Text color={s && s.conflictsPerSec > 0 ? 'yellow' : undefined}>{fit(store + timers, width)}</Text>
    </Box>
  );
}

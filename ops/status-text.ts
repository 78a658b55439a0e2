import type { GatewayRow, Status, TimerRow } from './status.js';

const pct = (x: number) => `${Math.round(x * 100)}%`.padStart(4);
const num = (x: number, w = 7) => (x >= 10 || Number.isInteger(x) ? Math.round(x).toString() : x.toFixed(1)).padStart(w);

/** Pending timers and how late the fired ones were (fire time - due time). */
export function timerLine(t: TimerRow): string {
  return `timers: ${num(t.pending, 0)} pending, ${num(t.firedPerSec, 0)} fired/s, lag p50 ${num(t.lagP50Ms, 0)} ms, p99 ${num(t.lagP99Ms, 0)} ms, max ${num(t.lagMaxMs, 0)} ms`;
}

/** The cluster's gateways, one line each. */
function gatewayLines(gateways: GatewayRow[] | undefined): string[] {
  if (!gateways?.length) return [];
  return [
    'gateway                    sockets   cmd/s  lines/s   elu   p50 ms   p99 ms  epoch  nats out/s  in/s  lines/msg',
    ...gateways.map((g) => `${g.id.padEnd(26)} ${num(g.sockets, 7)} ${num(g.commandsPerSec, 7)} ${num(g.linesPerSec, 8)}  ${pct(g.elu)} ${num(g.p50Ms, 8)} ${num(g.p99Ms, 8)} ${num(g.epoch, 6)} ${num(g.natsOutPerSec ?? 0, 11)} ${num(g.natsInPerSec ?? 0, 5)} ${num(g.linesPerNatsMsg ?? 0, 10)}`),
    '',
  ];
}

/** `mud status` as text. */
export function formatStatus(s: Status): string {
  const idWidth = Math.max(10, ...s.nodes.map((n) => n.id.length));
  const lines = [
    `mode: ${s.mode}${s.gateways?.length ? ` (epoch ${s.epoch ?? 0}, ${s.gateways.length} gateway${s.gateways.length === 1 ? '' : 's'})` : ''}   sharding: ${s.sharding}${s.autoPromote ? '   auto-promote: on' : ''}`,
    `players: ${s.players}`,
    `bottleneck: ${s.bottleneck.text}`,
    '',
    ...gatewayLines(s.gateways),
    `${'node'.padEnd(idWidth)}  objects  turns/s  mailbox   elu   p50 ms   p99 ms`,
    ...s.nodes.map((n) => `${n.id.padEnd(idWidth)} ${num(n.objects, 8)} ${num(n.turnsPerSec, 8)} ${num(n.mailbox, 8)}  ${pct(n.elu)} ${num(n.p50Ms, 8)} ${num(n.p99Ms, 8)}`),
    ...(s.nodesOnFirstUse ? [nodesOnFirstUseLine(s.nodesOnFirstUse)] : []),
    '',
    `store (${s.store.kind}): ${num(s.store.opsPerSec, 0)} ops/s (${num(s.store.readsPerSec, 0)} reads, ${num(s.store.writesPerSec, 0)} writes), ${num(s.store.conflictsPerSec, 0)} CAS conflicts/s, ${num(s.store.commitsPerSec, 0)} commits/s`,
    ...(s.timers ? [timerLine(s.timers)] : []),
    '',
    'hottest objects                     turns/s  mode        home      conflicts/s',
    ...(s.hot.length ? s.hot.map((h) => `${h.ref.padEnd(34)} ${num(h.turnsPerSec, 8)}  ${h.mode.padEnd(11)} ${h.home.padEnd(9)} ${num(h.conflictsPerSec, 8)}`) : ['(none: the world is quiet)']),
  ];
  return `${lines.join('\n')}\n`;
}

/** The nodes an in-process gateway has not started yet: the monitor says the same under its node table. */
export function nodesOnFirstUseLine(count: number): string {
  return `(${count} node${count === 1 ? '' : 's'} start${count === 1 ? 's' : ''} on the first switch to actor or function)`;
}

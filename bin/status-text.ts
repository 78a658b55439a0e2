import type { Status, TimerRow } from '../dispatch/status.js';

const pct = (x: number) => `${Math.round(x * 100)}%`.padStart(4);
const num = (x: number, w = 7) => (x >= 10 || Number.isInteger(x) ? Math.round(x).toString() : x.toFixed(1)).padStart(w);

/** Pending timers and how late the fired ones were (fire time - due time). */
export function timerLine(t: TimerRow): string {
  return `timers: ${num(t.pending, 0)} pending, ${num(t.firedPerSec, 0)} fired/s, lag p50 ${num(t.lagP50Ms, 0)} ms, p99 ${num(t.lagP99Ms, 0)} ms, max ${num(t.lagMaxMs, 0)} ms`;
}

/** `mud status` as text. */
export function formatStatus(s: Status): string {
  const lines = [
    `mode: ${s.mode}   epoch: ${s.epoch}   sharding: ${s.sharding}${s.autoPromote ? '   auto-promote: on' : ''}`,
    `players: ${s.players}`,
    `bottleneck: ${s.bottleneck.text}`,
    '',
    'node        objects  turns/s  mailbox   elu   p50 ms   p99 ms',
    ...s.nodes.map((n) => `${n.id.padEnd(10)} ${num(n.objects, 8)} ${num(n.turnsPerSec, 8)} ${num(n.mailbox, 8)}  ${pct(n.elu)} ${num(n.p50Ms, 8)} ${num(n.p99Ms, 8)}`),
    '',
    `store (${s.store.kind}): ${num(s.store.opsPerSec, 0)} ops/s (${num(s.store.readsPerSec, 0)} reads, ${num(s.store.writesPerSec, 0)} writes), ${num(s.store.conflictsPerSec, 0)} CAS conflicts/s, ${num(s.store.commitsPerSec, 0)} commits/s`,
    ...(s.timers ? [timerLine(s.timers)] : []),
    '',
    'hottest objects                     turns/s  mode        home      conflicts/s',
    ...(s.hot.length ? s.hot.map((h) => `${h.ref.padEnd(34)} ${num(h.turnsPerSec, 8)}  ${h.mode.padEnd(11)} ${h.home.padEnd(9)} ${num(h.conflictsPerSec, 8)}`) : ['(none: the world is quiet)']),
  ];
  return `${lines.join('\n')}\n`;
}

// What a failed partition test prints about the lab (test/helpers/netns-play.ts): each process's lines
// that tell what went wrong (errors, turns given up or still tried, the cluster's view of its members,
// the nats-servers' warnings and leader changes) and the last lines of each, so a CI failure is
// diagnosable from its output alone. With $LAB_LOG_DIR set, the whole logs are also written there.
import type { ClusterLab, LabProcess } from './netns-rig.js';

/** Lines worth reading after a failure, whatever the test. */
const TELLING = /\b(error|turn failed|entering failed|node (left|joined)|gateway (left|joined|reaped)|told play is paused|sessions rechecked|logout|\[(WRN|ERR)\]|leader|no quorum|stalled)\b/;
/** `turn retry` lines are many: the last of them, and the first try of each message. */
const RETRIES_KEPT = 40;
const TAIL_LINES = 15;
/** At most this much of one process's report (its newest part is kept). */
const MAX_CHARS = 12_000;

/** The report of every process of `lab`, newest lines last. */
export function labFailureLogs(lab: ClusterLab): string {
  const all = [...lab.nats, ...lab.gateways, ...lab.nodes];
  return `\n==== the lab's processes at the failure (${new Date().toISOString()})${process.env.LAB_LOG_DIR ? `; whole logs in ${process.env.LAB_LOG_DIR}` : ''}\n`
    + all.map(report).join('');
}

function report(p: LabProcess): string {
  const lines = p.log().split('\n').filter(Boolean);
  const retries = lines.filter((l) => l.includes('turn retry'));
  const lastRetries = new Set(retries.slice(-RETRIES_KEPT));
  const firstTries = new Set(retries.filter((l) => l.includes(' attempt=1 ')));
  const kept = lines.filter((l, i) => TELLING.test(l) || lastRetries.has(l) || firstTries.has(l) || i >= lines.length - TAIL_LINES);
  let text = kept.map((l) => `${p.host}| ${l.slice(0, 400)}\n`).join('');
  if (text.length > MAX_CHARS) text = `${p.host}| ... (${text.length - MAX_CHARS} characters before)\n${text.slice(-MAX_CHARS)}`;
  return `---- ${p.host} (${lines.length} lines, exit ${p.child.exitCode ?? 'none yet'})\n${text}`;
}

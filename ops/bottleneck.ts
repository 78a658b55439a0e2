import { modesIn } from '../dispatch/mode-table.js';
import type { HotRow, NodeRow, Status } from './status.js';

/** What limits the server now, named in words from one frame's figures. */
export interface Bottleneck {
  /** `gateway`, a node id, or an object ref. */
  where: string;
  /** `gateway`: the main thread; `hot-object`: one actor's home node; `contention`: CAS
   *  conflicts on one record; `backlog`: one object's turns queue faster than they run
   *  (latency, not CPU: nothing need be busy); `nodes`: every node busy; `machine`: every core of the
   *  host busy, so threads wait for a core whatever their own load; `none`: nothing near a limit. */
  kind: 'gateway' | 'hot-object' | 'contention' | 'backlog' | 'nodes' | 'machine' | 'none';
  /** 0..1: how close to the limit (event-loop utilisation, or the conflict share). */
  severity: number;
  /** One line for people: `gateway: 98% busy relaying store traffic for 3 nodes — the limit now`. */
  text: string;
}

export type BottleneckFigures = Pick<Status, 'modes' | 'nodes' | 'store' | 'hot' | 'players'> & Partial<Pick<Status, 'gateways' | 'host'>>;

/** Past this event-loop utilisation (or conflict share) a part is "the limit now". */
export const LIMIT = 0.8;
/** Below this nothing is worth naming: "nothing near a limit". */
const NOTABLE = 0.3;
/** A shorter queue than this is a burst, not a backlog. */
const MIN_BACKLOG = 50;
/** Fewer conflicts than this per second are noise, not contention. */
const MIN_CONFLICTS = 5;
/** An actor's home is "alone" when it is this many times busier than the other nodes' mean. */
const ALONE_RATIO = 2;

/** Names the bottleneck: the candidate closest to its limit among the gateway's
 *  event loop, the home node of the hottest actor, CAS contention on the hottest
 *  function, and the nodes as a whole. Pure: the same figures give the same words. */
export function bottleneckOf(f: BottleneckFigures): Bottleneck {
  const candidates = [gateway(f), hotActor(f), contention(f), backlog(f), nodesBusy(f)].filter((c): c is Bottleneck => c !== undefined);
  const top = candidates.sort((a, b) => b.severity - a.severity)[0];
  // A full machine is named before any thread: its threads' figures are inflated by waiting for a core.
  const host = machine(f);
  if (host && host.severity >= LIMIT && host.severity >= (top?.severity ?? 0) - MACHINE_MARGIN) return host;
  if (!top || top.severity < NOTABLE) return quiet(f);
  return top.severity >= LIMIT ? top : { ...top, text: `${top.text.replace(LIMIT_NOW, '')} — busiest, not yet a limit` };
}

const LIMIT_NOW = ' — the limit now';

function gateway(f: BottleneckFigures): Bottleneck | undefined {
  const own = f.nodes.find((n) => n.id === 'gateway');
  if (!own) return undefined;
  // Several gateways: the busiest one is the candidate, named, with its own sessions.
  const busiest = f.gateways && f.gateways.length > 1 ? f.gateways.reduce((a, g) => (g.elu > a.elu ? g : a)) : undefined;
  const g = busiest ? { elu: busiest.elu, turnsPerSec: own.turnsPerSec } : own;
  const name = busiest ? `gateway ${busiest.id}` : 'gateway';
  const nodes = workers(f).length;
  const modes = modesIn(f.modes);
  // What the gateway does, from the mode and the store (not which part costs most:
  // profiles show the sessions' writes lead in every mode: docs/architecture/observability.md).
  const sessions = `${num(busiest ? busiest.sockets : f.players)} sessions`;
  const forNodes = `for ${nodes} node${nodes === 1 ? '' : 's'}`;
  let doing: string;
  if (modes.size === 1 && modes.has('in-process')) doing = `${sessions} and every turn (${num(g.turnsPerSec)}/s), one core`;
  else if (nodes === 0) doing = sessions;
  else if (modes.has('function') && f.store.kind !== 'nats-kv') doing = `${sessions}, store and turns ${forNodes}`;
  else doing = `${sessions}, turns ${forNodes}`;
  const more = busiest ? ` (${f.gateways!.length} gateways: add one to spread the sessions)` : '';
  return { where: busiest?.id ?? 'gateway', kind: 'gateway', severity: g.elu, text: `${name}: ${pct(g.elu)} busy: ${doing}${more}${LIMIT_NOW}` };
}

/** The hottest actor whose home node is busiest and well above the others. */
function hotActor(f: BottleneckFigures): Bottleneck | undefined {
  const nodes = workers(f);
  const top = hottest(f.hot, 'actor');
  const home = top && nodes.find((n) => n.id === top.home);
  if (!top || !home) return undefined;
  const others = nodes.filter((n) => n !== home);
  const mean = others.length ? others.reduce((a, n) => a + n.elu, 0) / others.length : 0;
  if (others.length && home.elu < ALONE_RATIO * mean) return undefined;
  return {
    where: top.ref, kind: 'hot-object', severity: home.elu,
    text: `${short(top.ref)}: ${num(top.turnsPerSec)} turns/s on ${home.id} alone (${pct(home.elu)} busy), a hot object${LIMIT_NOW}`,
  };
}

/** Functions re-running turns because they lost the CAS on one record. */
function contention(f: BottleneckFigures): Bottleneck | undefined {
  const top = [...f.hot].filter((h) => h.mode === 'function').sort((a, b) => b.conflictsPerSec - a.conflictsPerSec)[0];
  if (!top || top.conflictsPerSec < MIN_CONFLICTS) return undefined;
  const share = top.conflictsPerSec / (top.conflictsPerSec + Math.max(top.turnsPerSec, 1));
  // Contention is named above NOTABLE as soon as it is real; it is "the limit" when most attempts lose.
  return {
    where: top.ref, kind: 'contention', severity: Math.min(1, NOTABLE + share),
    text: `${short(top.ref)}: ${num(top.conflictsPerSec)} CAS conflicts/s, functions contend on one record${LIMIT_NOW}`,
  };
}

/** One object's queue: turns waiting longer than a second for their object. In function
 *  mode the gateway lets few turns of one object race at once (its contention window),
 *  so a hot record serialises on commit latency while every thread idles. */
function backlog(f: BottleneckFigures): Bottleneck | undefined {
  const top = [...f.hot].sort((a, b) => b.mailbox - a.mailbox)[0];
  if (!top || top.mailbox < MIN_BACKLOG) return undefined;
  const waitSec = top.mailbox / Math.max(top.turnsPerSec, 1);
  if (waitSec < 1) return undefined; // drains within a second: a burst
  const why = top.mode === 'function' ? 'functions take turns on one record' : `a hot object on ${top.home}`;
  return {
    // Below a saturated thread (>= 95%): a queue behind a full event loop is its symptom.
    where: top.ref, kind: 'backlog', severity: Math.min(0.95, 0.6 + 0.2 * waitSec),
    text: `${short(top.ref)}: ${num(top.mailbox)} turns queued, ${num(top.turnsPerSec)}/s run, ${why}${LIMIT_NOW}`,
  };
}

/** A thread this much busier than the host still names itself: one saturated loop on an idle machine. */
const MACHINE_MARGIN = 0.1;

/** Every core of the host busy: gateway, nodes, bots (and other guests, through steal) share too few cores. */
function machine(f: BottleneckFigures): Bottleneck | undefined {
  if (!f.host) return undefined;
  // A busy host under an idle server is someone else's load, not this server's limit.
  if (!f.nodes.some((n) => n.elu >= NOTABLE)) return undefined;
  const { cores, busy, steal } = f.host;
  const threads = [...f.nodes].sort((a, b) => b.elu - a.elu).slice(0, 3).map((n) => `${n.id} ${pct(n.elu)}`).join(', ');
  const stolen = steal >= 0.05 ? `, ${pct(steal)} taken by the hypervisor` : '';
  return {
    where: 'machine', kind: 'machine', severity: busy,
    text: `the machine: ${cores} core${cores === 1 ? '' : 's'} ${pct(busy)} busy${stolen} (${threads}): threads wait for a core, add cores or move load off this host${LIMIT_NOW}`,
  };
}

/** Every node busy: the work is spread and there is simply too much of it. */
function nodesBusy(f: BottleneckFigures): Bottleneck | undefined {
  const nodes = workers(f);
  if (nodes.length === 0) return undefined;
  const least = nodes.reduce((a, n) => (n.elu < a.elu ? n : a));
  return {
    where: 'nodes', kind: 'nodes', severity: least.elu,
    text: `nodes: all ${nodes.length} at ${pct(least.elu)} busy or more: add a node${LIMIT_NOW}`,
  };
}

function quiet(f: BottleneckFigures): Bottleneck {
  const busiest = f.nodes.reduce<NodeRow | undefined>((a, n) => (!a || n.elu > a.elu ? n : a), undefined);
  const text = busiest ? `nothing near a limit: busiest is ${busiest.id} at ${pct(busiest.elu)}` : 'nothing near a limit';
  return { where: busiest?.id ?? '', kind: 'none', severity: busiest?.elu ?? 0, text };
}

function workers(f: BottleneckFigures): NodeRow[] {
  return f.nodes.filter((n) => n.id !== 'gateway');
}

function hottest(hot: HotRow[], mode: string): HotRow | undefined {
  return hot.filter((h) => h.mode === mode).sort((a, b) => b.turnsPerSec - a.turnsPerSec)[0];
}

/** `room/mystical_plaza` -> `mystical_plaza`; other kinds keep their prefix. */
function short(ref: string): string {
  return ref.replace(/^room\//, '');
}

function pct(x: number): string {
  return `${Math.round(Math.max(0, x) * 100)}%`;
}

function num(x: number): string {
  return x >= 10 ? Math.round(x).toString() : (Math.round(x * 10) / 10).toString();
}

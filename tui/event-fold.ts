import type { MonitorEvent } from './monitor-state.js';

/** One line of the event list: an event, or a run of events that differ in one field at most. */
export interface FoldedEvent {
  event: MonitorEvent;
  count: number;
  /** The line to show: the event's own text, or the run's with its one varying field summarised. */
  text: string;
}

interface Parsed {
  name: string;
  fields: Array<[string, string]>;
}

const FIELD = /\s(\w+)=("(?:[^"\\]|\\.)*"|\S+)/g;

/** `node joined node=node-4 nodes=3` -> name `node joined`, fields node and nodes. */
function parse(e: MonitorEvent): Parsed {
  const at = e.text.search(/ \w+=/);
  const name = `${e.level} ${at < 0 ? e.text : e.text.slice(0, at)}`;
  const fields = at < 0 ? [] : [...e.text.slice(at).matchAll(FIELD)].map((m): [string, string] => [m[1], m[2]]);
  return { name, fields };
}

/** The one field in which `b` differs from `a` ('' when identical), or undefined when they differ in
 *  name, in their fields' names, or in more than one value. */
function difference(a: Parsed, b: Parsed): string | undefined {
  if (a.name !== b.name || a.fields.length !== b.fields.length) return undefined;
  let differs = '';
  for (let i = 0; i < a.fields.length; i++) {
    if (a.fields[i][0] !== b.fields[i][0]) return undefined;
    if (a.fields[i][1] === b.fields[i][1]) continue;
    if (differs && differs !== a.fields[i][0]) return undefined;
    differs = a.fields[i][0];
  }
  return differs;
}

/** Runs of events that say the same thing but for one field (a storm of turn retries, id after id)
 *  become one line that still shows every value of that field, or its first and last when many.
 *  Events that differ in two fields (a switch's from and to) or in their name stay apart, so no
 *  line hides another's meaning. */
export function foldEvents(events: readonly MonitorEvent[]): FoldedEvent[] {
  const out: Array<{ first: Parsed; varying: string; values: string[]; event: MonitorEvent; count: number }> = [];
  for (const e of events) {
    const p = parse(e);
    const last = out.at(-1);
    // A progress report supersedes the one before it (a bar, not a list of events): keep the latest.
    if (last && last.first.name === p.name && / progress$/.test(p.name) && last.count === 1) {
      out[out.length - 1] = { first: p, varying: '', values: [], event: e, count: 1 };
      continue;
    }
    const diff = last ? difference(last.first, p) : undefined;
    if (last && diff !== undefined && (diff === '' || last.varying === '' || last.varying === diff)) {
      if (diff !== '') {
        last.varying = diff;
        const value = p.fields.find(([k]) => k === diff)![1];
        if (last.values.length === 0) last.values.push(last.first.fields.find(([k]) => k === diff)![1]);
        if (last.values.at(-1) !== value) last.values.push(value);
      }
      last.event = e;
      last.count += 1;
    } else out.push({ first: p, varying: '', values: [], event: e, count: 1 });
  }
  return out.map((r) => ({ event: r.event, count: r.count, text: r.varying ? summarise(r.first, r.varying, r.values) : r.event.text }));
}

function summarise(first: Parsed, varying: string, values: string[]): string {
  const shown = values.length <= 3 ? values.join(',') : `${values[0]}…${values.at(-1)} (${values.length} values)`;
  const name = first.name.slice(first.name.indexOf(' ') + 1);
  return [name, ...first.fields.map(([k, v]) => `${k}=${k === varying ? shown : v}`)].join(' ');
}

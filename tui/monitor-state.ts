import type { Status } from '../ops/status.js';

export interface MonitorEvent {
  key: string;
  time: number;
  level: string;
  text: string;
}

/** Everything the monitor draws, folded from the frames and the actions' results. */
export interface MonitorState {
  status: Status | undefined;
  connected: boolean;
  why: string | undefined;
  /** turns/s per node, oldest first: the last minute at two frames a second. */
  history: Record<string, number[]>;
  events: MonitorEvent[];
  /** Whether a party runs, as far as the events tell. */
  partyOn: boolean;
  /** The last key action taken here, kept apart so no storm of events pushes it out. */
  lastAction: MonitorEvent | undefined;
}

export type MonitorChange =
  | { t: 'frame'; status: Status }
  | { t: 'link'; connected: boolean; why?: string }
  | { t: 'event'; event: MonitorEvent }
  | { t: 'party'; on: boolean };

export const HISTORY_SAMPLES = 120;
const EVENTS_KEPT = 100;
/** One line per player arriving or leaving would bury everything else during a party. */
const HIDDEN_EVENTS = /^(login|logout) /;

export const initialState: MonitorState = { status: undefined, connected: false, why: undefined, history: {}, events: [], partyOn: false, lastAction: undefined };

export function monitorReducer(state: MonitorState, change: MonitorChange): MonitorState {
  switch (change.t) {
    case 'frame': return withFrame(state, change.status);
    case 'link': return { ...state, connected: change.connected, why: change.why };
    case 'event': return withEvents(state, [change.event]);
    case 'party': return { ...state, partyOn: change.on };
  }
}

function withFrame(state: MonitorState, status: Status): MonitorState {
  const history: Record<string, number[]> = {};
  for (const n of status.nodes) history[n.id] = [...(state.history[n.id] ?? []), n.turnsPerSec].slice(-HISTORY_SAMPLES);
  const known = new Set(state.events.map((e) => e.key));
  const fresh = status.events
    .filter((e) => !HIDDEN_EVENTS.test(e.text))
    .map((e) => ({ key: `${e.time}|${e.text}`, time: e.time, level: e.level, text: e.text }))
    .filter((e) => !known.has(e.key));
  return withEvents({ ...state, status, history, connected: true, why: undefined }, fresh);
}

function withEvents(state: MonitorState, fresh: MonitorEvent[]): MonitorState {
  if (fresh.length === 0) return state;
  // What a key did is shown once, on the `you:` line; the server's own event for it ("mode switched
  // ...") is in the list. Putting the action in the list too showed one action two or three times.
  const server = fresh.filter((e) => !e.key.startsWith('action-'));
  const byKey = new Map(state.events.map((e) => [e.key, e]));
  for (const e of server) byKey.set(e.key, e);
  // By time, ties in arrival order (Array.prototype.sort is stable).
  const events = server.length ? [...byKey.values()].sort((a, b) => a.time - b.time).slice(-EVENTS_KEPT) : state.events;
  let partyOn = state.partyOn;
  const lastAction = [...fresh].reverse().find((e) => e.key.startsWith('action-')) ?? state.lastAction;
  for (const e of fresh) {
    if (/^party (started|progress)/.test(e.text)) partyOn = true;
    if (/^party (stopped|ended)/.test(e.text)) partyOn = false;
  }
  return { ...state, events, partyOn, lastAction };
}

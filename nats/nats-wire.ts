// What crosses NATS between the gateway and its nodes: the subjects, the JSON
// payloads, and the envelope every reply comes in. One cluster per NATS account;
// every subject starts with `mud.`.
import type { Msg as NatsMsg } from '@nats-io/transport-node';
import type { WorldDefinition } from '../world/files/world-def.js';

export const SUBJECTS = {
  /** A node's own requests (actor turns at their home, release, world, stats). */
  node: (id: string) => `mud.node.${id}`,
  /** Join and stop, from the gateway to one node. */
  control: (id: string) => `mud.ctl.${id}`,
  /** Function-mode turns: a queue group, so NATS balances them over the nodes. */
  turns: 'mud.turns',
  turnsQueue: 'mud-nodes',
  /** Every node, every second: "I am here". */
  heartbeat: 'mud.heartbeat',
  /** A gateway starting asks "who is here?": every node beats at once instead of within the second. */
  rollCall: 'mud.rollcall',
  /** A node leaving on purpose. */
  bye: 'mud.bye',
  /** Store operations of nodes against the gateway's own store (`--store file`). */
  store: 'mud.store',
} as const;

/** Node ids become subject tokens: letters, digits, `_` and `-`. */
export const NODE_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

export const HEARTBEAT_EVERY_MS = 1_000;
/** A node unheard of for this long has left ('timed out'). */
export const HEARTBEAT_TIMEOUT_MS = 3_000;

/** A node's heartbeat; `instance` tells a restarted process from the old one. */
export interface Hello {
  id: string;
  instance: string;
  pid: number;
  host: string;
}

/** Where the cluster keeps state, as the gateway tells a joining node: `kind` is the
 *  `--store` word (store/registry.ts), the rest is that backend's (`bucket` for `nats`). */
export type StoreChoice = { kind: string; [field: string]: unknown };

export type Control =
  /** `epoch`: the mode-table epoch the joining gateway acts on (the node's fence rises to it). */
  | { t: 'join'; instance: string; definition: WorldDefinition; store: StoreChoice; epoch?: number }
  | { t: 'stop' };

/** Every reply: a result, or the one-line reason it failed. */
export type Envelope<T> = { r: T } | { e: string };

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encode(value: unknown): Uint8Array {
  return encoder.encode(JSON.stringify(value));
}

export function decode<T>(data: Uint8Array): T {
  return JSON.parse(decoder.decode(data)) as T;
}

/** Unwraps a reply envelope: its result, or its error thrown as an Error. */
export function unwrap<T>(msg: NatsMsg, from: string): T {
  let env: Envelope<T>;
  try {
    env = decode<Envelope<T>>(msg.data);
  } catch {
    throw new Error(`unreadable reply from ${from}`);
  }
  if ('e' in env) throw new Error(env.e);
  return env.r;
}

/** Answers a request with what `work` resolves to, or with its error. */
export function answer<T>(msg: NatsMsg, work: () => Promise<T> | T): Promise<void> {
  return Promise.resolve()
    .then(work)
    .then(
      (r) => void msg.respond(encode({ r })),
      (err: unknown) => void msg.respond(encode({ e: err instanceof Error ? err.message : String(err) })),
    );
}

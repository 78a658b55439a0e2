// Opening the JetStream KV bucket waits (bounded) for what a starting cluster answers for a few seconds, and
// fails at once, with a hint, on what waiting will not cure. The waits themselves run against real servers in
// test/nats-trio.test.ts (a server down) and on the network lab (servers starting together); here, which answers
// of nats-server count as "not ready yet", as it words them.
import { describe, expect, it } from 'vitest';
import { notReadyYet } from '../store/nats-kv-store.js';

const natsError = (message: string, code?: number) => Object.assign(new Error(message), code === undefined ? {} : { code });

describe('opening the KV bucket', () => {
  it('open - a cluster electing its leader, or not yet knowing enough servers to place the copies, is waited for', () => {
    expect(notReadyYet(natsError('JetStream system temporarily unavailable', 10008))).toBe(true);
    expect(notReadyYet(natsError('no suitable peers for placement', 10005))).toBe(true);
  });

  it('open - JetStream off, or more copies than a single server can hold, fails at once', () => {
    expect(notReadyYet(natsError('no responders'))).toBe(false);
    expect(notReadyYet(natsError('replicas > 1 not supported in non-clustered mode', 10074))).toBe(false);
  });
});

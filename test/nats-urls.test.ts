// `--nats` values: one server or a cluster's servers, comma-separated.
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { natsUrl } from '../bin/node-command.js';
import { kvReplicas } from '../bin/cli-options.js';
import { natsServers } from '../cluster/nats-connection.js';

describe('nats urls', () => {
  it('cli - --nats takes one address or a comma-separated list, tidied', () => {
    expect(natsUrl('nats://10.0.0.5:4222')).toBe('nats://10.0.0.5:4222');
    expect(natsUrl(' nats://a:4222 , nats://b:4222,nats://c:4222 ')).toBe('nats://a:4222,nats://b:4222,nats://c:4222');
    expect(natsUrl('a:4222,b:4223')).toBe('a:4222,b:4223');
    expect(natsServers('nats://a:4222,nats://b:4222')).toEqual(['nats://a:4222', 'nats://b:4222']);
  });

  it('cli - a bad, empty or repeated --nats entry is one clear error naming it', () => {
    expect(() => natsUrl('nats://a:4222,http://b:80')).toThrow(new InvalidArgumentError('"http://b:80" is not a NATS address (nats://HOST:PORT, or several separated by commas)'));
    expect(() => natsUrl(' , ')).toThrow(/no NATS address given/);
    expect(() => natsUrl('nats://a:4222,nats://a:4222')).toThrow('"nats://a:4222" is listed twice in --nats');
  });

  it('cli - --kv-replicas takes 1, 3 or 5', () => {
    expect([1, 3, 5].map((n) => kvReplicas(String(n)))).toEqual([1, 3, 5]);
    for (const bad of ['0', '2', '7', 'three']) expect(() => kvReplicas(bad)).toThrow(/is not a replica count JetStream takes \(1, 3 or 5\)/);
  });
});

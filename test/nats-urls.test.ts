// `--nats` values: one server or a cluster's servers, comma-separated.
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { natsUrl } from '../bin/node-command.js';
import { kvReplicas } from '../store/nats-kv-store-spec.js';
import { natsServers } from '../nats/nats-servers.js';
import { accessEnv, describeAccess, natsAccess } from '../nats/nats-access.js';

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

  it('cli - credentials in a --nats address are refused without echoing them', () => {
    let message = '';
    try {
      natsUrl('nats://gateway:hunter2@10.0.0.5:4222');
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/^"nats:\/\/\*\*\*@10\.0\.0\.5:4222" has credentials in it: give them with --nats-user/);
    expect(message).not.toContain('hunter2');
  });

  it('cli - NATS access: flags override the environment; one way to log in; pairs come whole', () => {
    const env = { MUD_NATS_USER: 'gw', MUD_NATS_PASSWORD: 'pw', MUD_NATS_CA: '/etc/ca.pem', MUD_NATS_TOKEN: '' };
    expect(natsAccess({}, env)).toEqual({ user: 'gw', password: 'pw', caFile: '/etc/ca.pem' });
    expect(natsAccess({ user: 'other', caFile: '/x.pem' }, env)).toEqual({ user: 'other', password: 'pw', caFile: '/x.pem' });
    expect(describeAccess(natsAccess({}, env))).toEqual({ auth: 'user:gw', tls: 'on' });
    expect(() => natsAccess({ token: 't' }, env)).toThrow(/one way to know this process/);
    expect(() => natsAccess({ user: 'u' }, {})).toThrow(/a NATS user needs a password/);
    expect(() => natsAccess({ certFile: '/c.pem' }, {})).toThrow(/mutual TLS needs both/);
    expect(accessEnv({ token: 't', caFile: '/ca' })).toEqual({ MUD_NATS_TOKEN: 't', MUD_NATS_CA: '/ca' });
  });

  it('cli - --kv-replicas takes 1, 3 or 5', () => {
    expect([1, 3, 5].map((n) => kvReplicas(String(n)))).toEqual([1, 3, 5]);
    for (const bad of ['0', '2', '7', 'three']) expect(() => kvReplicas(bad)).toThrow(/is not a replica count JetStream takes \(1, 3 or 5\)/);
  });
});

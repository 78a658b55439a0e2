// A store backend's own flags are declared in its spec (store/*-spec.ts): the commands add them,
// parse them, refuse them with another store, and hand their values to the backend.
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { storeFlagValues, storeFlags } from '../bin/store-flags.js';
import type { StoreKind } from '../store/registry.js';

function parsed(command: 'serve' | 'restore', args: string[]): Command {
  const cmd = storeFlags(new Command(command).exitOverride().option('--store <kind>', 'where state lives', 'file'), command);
  return cmd.parse(args, { from: 'user' });
}

describe('store flags', () => {
  it('store flags - a backend\'s flag reaches it parsed, with its default when not given', () => {
    const serve = parsed('serve', ['--store', 'nats', '--kv-replicas', '3']);
    expect(storeFlagValues(serve, 'serve', 'nats')).toEqual({ kvReplicas: 3 });
    const restore = parsed('restore', ['--store', 'nats']);
    expect(storeFlagValues(restore, 'restore', 'nats')).toEqual({ bucket: 'mud' });
    expect(storeFlagValues(parsed('restore', ['--bucket', 'b2']), 'restore', 'nats')).toEqual({ bucket: 'b2' });
  });

  it('store flags - a flag of another backend given on the line is refused in one line; its default is not', () => {
    const serve = parsed('serve', ['--kv-replicas', '1']);
    expect(() => storeFlagValues(serve, 'serve', 'file' as StoreKind)).toThrow(/^--kv-replicas is a flag of --store nats: it needs --store nats, not file$/);
    expect(storeFlagValues(parsed('restore', []), 'restore', 'file')).toEqual({});
    expect(() => storeFlagValues(parsed('restore', ['--bucket', 'x']), 'restore', 'file')).toThrow(/--bucket is a flag of --store nats/);
  });

  it('store flags - a bad value is refused by the backend\'s own parser, and a command takes only its own flags', () => {
    expect(() => parsed('serve', ['--kv-replicas', '2'])).toThrow(/"2" is not a replica count JetStream takes \(1, 3 or 5\)/);
    expect(() => parsed('restore', ['--kv-replicas', '3'])).toThrow(/unknown option '--kv-replicas'/);
    expect(() => parsed('serve', ['--bucket', 'x'])).toThrow(/unknown option '--bucket'/);
  });
});

// The cluster's door: a nats-server that wants client certificates (mutual TLS) and a
// user and password, with each user allowed only the subjects of its role. The real
// gateway and node get in and play; a stranger without credentials, with a wrong
// password or with a certificate from another CA is refused before it can send a turn
// or read a record; a node's credentials cannot speak as a gateway.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeWithNats } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt, spawnNode, waitForNodes, type NodeProcess } from './helpers/nats-cluster.js';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { player } from './helpers/test-server.js';
import { makeCerts, opensslMissing, type TestCerts } from './helpers/test-certs.js';
import { startSecureNats, type SecureNats } from './helpers/secure-nats.js';
import { NatsLink } from '../nats/nats-connection.js';
import { silentLogger } from '../support/logger.js';
import type { NatsAccess } from '../nats/nats-access.js';

const SLOW = 120_000;
const describeSecure = opensslMissing() ? (name: string, body: () => void) => {
  const reason = opensslMissing()!;
  if (process.env.CI === 'true') describe(name, () => it(`needs openssl under CI: ${reason}`, () => { throw new Error(reason); }));
  else {
    process.stderr.write(`SKIPPED ${name}: ${reason}\n`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
} : describeWithNats;

describeSecure('nats access', () => {
  let certs: TestCerts;
  let nats: SecureNats;
  let certDir = '';
  let gwDir = '';
  let gw: ServerProcess | undefined;
  let node: NodeProcess | undefined;
  const tls = (): NatsAccess => ({ caFile: certs.ca, certFile: certs.clientCert, keyFile: certs.clientKey });
  const attempt = (access: NatsAccess) => NatsLink.connect(nats.url, { name: 'stranger', log: silentLogger(), access }).then(async (link) => {
    await link.close();
    return 'connected';
  });

  beforeAll(async () => {
    certDir = await mkdtemp(join(tmpdir(), 'mud-certs-'));
    certs = makeCerts(certDir);
    nats = await startSecureNats(certs);
  }, 30_000);
  afterAll(async () => {
    await gw?.stop();
    await node?.stop();
    await nats?.stop();
    for (const d of [certDir, gwDir]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('nats access - a gateway (credentials from the environment) and a node (from flags) get in over mutual TLS and play', async () => {
    checkBuilt();
    gwDir = await mkdtemp(join(tmpdir(), 'mud-secure-gw-'));
    gw = await spawnServer(['--nats', nats.url, '--store', 'nats', '--nodes', '0', '--dispatch', 'actor', '--data-dir', gwDir, '--admin-token', ADMIN_TOKEN], {
      MUD_NATS_USER: nats.users.gateway, MUD_NATS_PASSWORD: nats.passwords.gateway, MUD_NATS_CA: certs.ca, MUD_NATS_CERT: certs.clientCert, MUD_NATS_KEY: certs.clientKey,
    });
    node = await spawnNode(nats.url, 'n1', ['--nats-user', nats.users.node, '--nats-password', nats.passwords.node,
      '--nats-ca', certs.ca, '--nats-cert', certs.clientCert, '--nats-key', certs.clientKey]);
    await waitForNodes(gw.adminPort, ['n1']);
    const alice = await player(gw.telnetPort, 'alice');
    expect(await alice.command('east')).toMatch(/^The Old Armory\n/);
    await alice.command('open chest');
    expect(await alice.command('take magic_sword from chest')).toBe('You take a rune-etched sword from the iron-bound chest.\n');
    expect(await alice.command('inventory')).toBe('You are carrying:\n  a rune-etched sword\n');
    expect(await alice.command('put magic_sword in chest')).toBe('You put a rune-etched sword in the iron-bound chest.\n');
    alice.close();
    expect(gw.log()).toMatch(/nats connected .*auth=user:gateway tls=mutual/);
    expect(node.log()).toMatch(/nats connected .*auth=user:node tls=mutual/);
    for (const secret of Object.values(nats.passwords)) {
      expect(gw.log()).not.toContain(secret);
      expect(node.log()).not.toContain(secret);
    }
    expect(node.log()).not.toMatch(/[Pp]ermissions? [Vv]iolation/);
    expect(gw.log()).not.toMatch(/[Pp]ermissions? [Vv]iolation/);
  }, SLOW);

  it('nats access - a client without credentials, with a wrong password, or with a certificate from another CA is refused', async () => {
    await expect(attempt(tls())).rejects.toThrow(/Authorization Violation.*NATS refused this process/is);
    await expect(attempt({ ...tls(), user: nats.users.gateway, password: 'guessed' })).rejects.toThrow(/Authorization Violation/i);
    await expect(attempt({ user: nats.users.gateway, password: nats.passwords.gateway, caFile: certs.ca, certFile: certs.rogueCert, keyFile: certs.rogueKey }))
      .rejects.toThrow(/cannot reach NATS/);
    // No TLS at all: the server wants it.
    await expect(attempt({ user: nats.users.gateway, password: nats.passwords.gateway })).rejects.toThrow(/cannot reach NATS/);
    // The right door opens (so the refusals above are the door's doing).
    await expect(attempt({ ...tls(), user: nats.users.gateway, password: nats.passwords.gateway })).resolves.toBe('connected');
  }, SLOW);

  it('nats access - a node\'s credentials cannot run turns or listen to players as a gateway does', async () => {
    const link = await NatsLink.connect(nats.url, { name: 'node-creds', log: silentLogger(), access: { ...tls(), user: nats.users.node, password: nats.passwords.node } });
    try {
      await expect(link.connection.request('mud.turns', new TextEncoder().encode('{}'), { timeout: 2_000 })).rejects.toThrow(/[Pp]ermission/);
      const sub = link.connection.subscribe('mud.player.>');
      // nats.js ends the subscription with the server's refusal as its outcome.
      expect(await sub.closed).toMatchObject({ name: 'PermissionViolationError', subject: 'mud.player.>' });
    } finally {
      await link.close();
    }
  }, SLOW);

  it('nats access - a mud node without credentials exits with a clear one-line reason', async () => {
    await expect(spawnNode(nats.url, 'stranger', ['--nats-ca', certs.ca, '--nats-cert', certs.clientCert, '--nats-key', certs.clientKey]))
      .rejects.toThrow(/exited with 1:\n.*mud node: cannot reach NATS at tls:\/\/.*Authorization Violation.*NATS refused this process/is);
  }, SLOW);
});

// `mud serve --gateways 2` with a TLS port: `mud reload --tls` reaches one gateway through the
// shared admin port, and every gateway serves the new certificate after it. The cluster module
// hands accepted connections to the gateways in turn, so a handful of new TLS connections in a row
// meets each of them; one that still shows the old certificate met a gateway the reload missed.
import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from './helpers/nats-server.js';
import { ADMIN_TOKEN, checkBuilt } from './helpers/nats-cluster.js';
import { MUD_BIN, type ServerProcess } from './helpers/server-process.js';
import { spawnTwoGateways } from './helpers/embedded-gateways.js';
import { makeCerts, opensslMissing, type TestCerts } from './helpers/test-certs.js';

const SLOW = 120_000;
const fingerprintOf = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;

/** The certificates `count` new TLS connections to `port` in a row are shown. */
async function presented(port: number, ca: Buffer, count: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < count; i++) {
    seen.push(await new Promise<string>((resolve, reject) => {
      const s = tlsConnect({ port, host: '127.0.0.1', ca }, () => {
        resolve(s.getPeerCertificate().fingerprint256);
        s.destroy();
      });
      s.once('error', reject);
    }));
  }
  return seen;
}

const mud = (port: number, ...args: string[]) =>
  promisify(execFile)(process.execPath, [MUD_BIN, ...args, '--url', `http://127.0.0.1:${port}`, '--admin-token', ADMIN_TOKEN]);

(opensslMissing() && process.env.CI !== 'true' ? describe.skip : describe)(`embedded gateways tls${opensslMissing() ? ` [skipped: ${opensslMissing()}]` : ''}`, () => {
  let certs: TestCerts;
  let dir = '';
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    if (opensslMissing()) throw new Error(`${opensslMissing()}; CI must install it (.ci/run)`);
    checkBuilt();
    dir = await mkdtemp(join(tmpdir(), 'mud-embgw-tls-'));
    certs = makeCerts(dir);
    copyFileSync(certs.serverCert, join(dir, 'live.pem'));
    copyFileSync(certs.serverKey, join(dir, 'live.key'));
    server = await spawnTwoGateways(['--nodes', '1', '--data-dir', join(dir, 'data'), '--admin-token', ADMIN_TOKEN,
      '--tls-cert', join(dir, 'live.pem'), '--tls-key', join(dir, 'live.key'), '--telnet-tls-port', '0']);
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it('reload --tls - through the admin API, every gateway process serves the new certificate; a broken pair is refused by each', async () => {
    const port = Number(/listening protocol=telnet\+tls address=[\d.]+:(\d+)/.exec(server!.log())![1]);
    const ca = readFileSync(certs.ca);
    const first = fingerprintOf(certs.serverCert);
    const second = fingerprintOf(certs.serverCert2);
    expect(await presented(port, ca, 6)).toEqual(Array(6).fill(first));

    copyFileSync(certs.serverCert2, join(dir, 'live.pem'));
    copyFileSync(certs.serverKey2, join(dir, 'live.key'));
    const { stdout } = await mud(server!.adminPort, 'reload', '--tls');
    expect(stdout).toContain(`sha256 ${second}`);
    expect(await presented(port, ca, 6)).toEqual(Array(6).fill(second));
    // Each gateway logs its own reload: the one the admin call reached, and the other, asked by it.
    for (const gw of ['gw-1', 'gw-2']) expect(server!.log()).toMatch(new RegExp(`tls certificate reloaded .*gw=${gw}`));

    // A certificate without its key: refused, and the pair before it stays on every gateway.
    copyFileSync(certs.serverCert, join(dir, 'live.pem'));
    await expect(mud(server!.adminPort, 'reload', '--tls')).rejects.toThrow(/does not go with/);
    await waitUntil(() => (server!.log().match(/tls reload refused why=/g) ?? []).length >= 1, 10_000, () => 'the refusal logged');
    expect(await presented(port, ca, 6)).toEqual(Array(6).fill(second));
  }, SLOW);
});

// TLS for players: telnet over TLS and https:// + wss://.../play on their own ports, with the
// plain ports as they were; the certificate replaced live by `mud reload --tls` and by SIGHUP,
// open connections keeping theirs. Checked with Node's TLS client, ws and `openssl s_client`.
import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { promisify } from 'node:util';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MUD_BIN, spawnServer, type ServerProcess } from './helpers/server-process.js';
import { makeCerts, opensslMissing, type TestCerts } from './helpers/test-certs.js';
import { waitUntil } from './helpers/nats-server.js';
import { TelnetClient } from '../portal/telnet/telnet-client.js';

const TOKEN = 'player-tls-test-token';
const fingerprintOf = (file: string) => new X509Certificate(readFileSync(file)).fingerprint256;

/** The certificate a new TLS connection to `port` is shown (verified against `ca`). */
function presented(port: number, ca: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = tlsConnect({ port, host: '127.0.0.1', ca }, () => {
      resolve(s.getPeerCertificate().fingerprint256);
      s.destroy();
    });
    s.once('error', reject);
  });
}

const mud = (port: number, ...args: string[]) =>
  promisify(execFile)(process.execPath, [MUD_BIN, ...args, '--url', `http://127.0.0.1:${port}`, '--admin-token', TOKEN]);

(opensslMissing() && process.env.CI !== 'true' ? describe.skip : describe)(`player tls${opensslMissing() ? ` [skipped: ${opensslMissing()}]` : ''}`, () => {
  let certs: TestCerts;
  let dir = '';
  let server: ServerProcess | undefined;
  let ca: Buffer;
  let certFile = '';
  let keyFile = '';
  let telnetTls = 0;
  let https = 0;

  beforeAll(async () => {
    if (opensslMissing()) throw new Error(`${opensslMissing()}; CI must install it (.ci/run)`);
    dir = await mkdtemp(join(tmpdir(), 'mud-player-tls-'));
    certs = makeCerts(dir);
    ca = readFileSync(certs.ca);
    certFile = join(dir, 'live.pem');
    keyFile = join(dir, 'live.key');
    copyFileSync(certs.serverCert, certFile);
    copyFileSync(certs.serverKey, keyFile);
    server = await spawnServer(['--data-dir', join(dir, 'data'), '--admin-token', TOKEN, '--nodes', '0',
      '--tls-cert', certFile, '--tls-key', keyFile, '--telnet-tls-port', '0', '--https-port', '0']);
    telnetTls = Number(/listening protocol=telnet\+tls address=[\d.]+:(\d+)/.exec(server.log())![1]);
    https = Number(/listening protocol=https address=[\d.]+:(\d+) play=wss:/.exec(server.log())![1]);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('player tls - telnet over TLS plays, verified against the CA; the plain telnet port stays plain', async () => {
    const alice = await TelnetClient.openTls(telnetTls, '127.0.0.1', { ca });
    expect(await alice.nextAnswer()).toMatch(/By what name/);
    expect(await alice.command('create alice secret')).toContain('Welcome');
    expect(await alice.command('look')).toMatch(/^The Mystical Plaza\n/);
    alice.close();
    const plain = await TelnetClient.open(server!.telnetPort);
    expect(await plain.nextAnswer()).toMatch(/By what name/);
    plain.close();
    // A client that does not trust the certificate gets no game.
    await expect(TelnetClient.openTls(telnetTls, '127.0.0.1', { ca: readFileSync(certs.rogueCa) })).rejects.toThrow(/certificate/);
  });

  it('player tls - the web client over https:// and play over wss:// with the same certificate', async () => {
    const page = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port: https, path: '/', ca }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      }).once('error', reject);
    });
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<html/i);
    const ws = new WebSocket(`wss://127.0.0.1:${https}/play`, { ca });
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(d.toString()));
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    ws.send('guest');
    await waitUntil(() => frames.some((f) => /You are a guest/.test(f)), 10_000, () => `a guest login over wss; got ${JSON.stringify(frames)}`);
    ws.close();
    expect(await presented(https, ca)).toBe(fingerprintOf(certs.serverCert));
  });

  it('player tls - openssl s_client verifies the certificate and reads the login banner', async () => {
    const child = spawn('openssl', ['s_client', '-connect', `127.0.0.1:${telnetTls}`, '-CAfile', certs.ca, '-verify_return_error', '-quiet'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await waitUntil(() => /By what name/.test(out) || child.exitCode !== null, 15_000, () => `the banner through s_client; got ${JSON.stringify(out)} ${err}`);
      expect(out).toMatch(/By what name/);
      expect(err).toMatch(/verify return:1/);
    } finally {
      child.kill();
    }
  });

  it('player tls - the certificate is replaced without a restart: mud reload --tls, then SIGHUP; open connections keep going; a broken pair is refused', async () => {
    const bob = await TelnetClient.openTls(telnetTls, '127.0.0.1', { ca });
    await bob.nextAnswer();
    expect(await bob.command('create bob secret')).toContain('Welcome');
    const first = fingerprintOf(certs.serverCert);
    const second = fingerprintOf(certs.serverCert2);
    expect(second).not.toBe(first);

    copyFileSync(certs.serverCert2, certFile);
    copyFileSync(certs.serverKey2, keyFile);
    const { stdout } = await mud(server!.adminPort, 'reload', '--tls');
    expect(stdout).toContain(`sha256 ${second}`);
    expect(await presented(telnetTls, ca)).toBe(second);
    expect(await presented(https, ca)).toBe(second);
    expect(await bob.command('look')).toMatch(/^The Mystical Plaza\n/);

    copyFileSync(certs.serverCert, certFile);
    copyFileSync(certs.serverKey, keyFile);
    server!.child.kill('SIGHUP');
    await waitUntil(async () => (await presented(telnetTls, ca)) === first, 10_000, () => 'the SIGHUP reload');
    expect(server!.child.exitCode).toBeNull();

    copyFileSync(certs.rogueKey, keyFile); // a key that does not go with the certificate
    await expect(mud(server!.adminPort, 'reload', '--tls')).rejects.toThrow(/does not go with/);
    expect(await presented(telnetTls, ca)).toBe(first);
    expect(await bob.command('look')).toMatch(/^The Mystical Plaza\n/);
    expect(server!.log()).toMatch(/tls reload refused why=/);
    bob.close();
  });
});

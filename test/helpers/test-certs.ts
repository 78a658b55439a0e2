// Certificates for TLS tests, made with the openssl CLI in a temp dir: a CA, a server
// certificate for 127.0.0.1/localhost signed by it, a client certificate signed by it,
// and a rogue CA with a client certificate of its own (what a stranger would present).
// Without openssl the tests skip locally with the reason, and fail under CI=true.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second server certificate for the same names, from the same CA (certificate rotation). */
  serverCert2: string;
  serverKey2: string;
  rogueCa: string;
  rogueCert: string;
  rogueKey: string;
}

export function opensslMissing(): string | undefined {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0 ? undefined : 'openssl is not installed (apt-get install openssl)';
}

const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
const KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function ca(dir: string, name: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  openssl(['req', '-x509', ...KEY, '-keyout', key, '-out', cert, '-days', '2', '-subj', `/CN=${name}`]);
  return { cert, key };
}

function signed(dir: string, name: string, by: { cert: string; key: string }, ext: string): { cert: string; key: string } {
  const cert = join(dir, `${name}.pem`);
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const extFile = join(dir, `${name}.ext`);
  writeFileSync(extFile, `${ext}\n`);
  openssl(['req', ...KEY, '-keyout', key, '-out', csr, '-subj', `/CN=${name}`]);
  openssl(['x509', '-req', '-in', csr, '-CA', by.cert, '-CAkey', by.key, '-CAcreateserial', '-out', cert, '-days', '2', '-extfile', extFile]);
  return { cert, key };
}

/** Makes every certificate in `dir` (about a second). */
export function makeCerts(dir: string): TestCerts {
  const good = ca(dir, 'mud-test-ca');
  const rogue = ca(dir, 'rogue-ca');
  const serverExt = 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth';
  const server = signed(dir, 'server', good, serverExt);
  const server2 = signed(dir, 'server-2', good, serverExt);
  const client = signed(dir, 'client', good, 'extendedKeyUsage=clientAuth');
  const stranger = signed(dir, 'stranger', rogue, 'extendedKeyUsage=clientAuth');
  return {
    dir, ca: good.cert, serverCert: server.cert, serverKey: server.key, serverCert2: server2.cert, serverKey2: server2.key,
    clientCert: client.cert, clientKey: client.key, rogueCa: rogue.cert, rogueCert: stranger.cert, rogueKey: stranger.key,
  };
}

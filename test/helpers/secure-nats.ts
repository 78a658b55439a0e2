// A real nats-server with its door shut, as docs/OPERATIONS.md "NATS with credentials and TLS"
// configures it: TLS on the client port with client certificates required (mutual TLS), and the
// account GAME whose users `gateway` and `node` get only the subjects the permission table lists.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, natsServerBinary, waitUntil } from './nats-server.js';
import type { TestCerts } from './test-certs.js';

/** The permissions of docs/OPERATIONS.md, word for word. */
export const GATEWAY_PERMISSIONS = `{
  publish: [ "mud.>", "_INBOX.>", "$JS.API.>", "$KV.mud.>", "$JS.FC.>" ]
  subscribe: [ "mud.>", "_INBOX.>" ]
}`;
export const NODE_PERMISSIONS = `{
  publish: {
    allow: [ "mud.heartbeat", "mud.bye", "mud.store", "mud.node.*", "mud.link.moved", "_INBOX.>", "$JS.API.>", "$KV.mud.>", "$JS.FC.>" ]
    deny: [ "$JS.API.STREAM.CREATE.>", "$JS.API.STREAM.UPDATE.>", "$JS.API.STREAM.DELETE.>", "$JS.API.STREAM.PURGE.>" ]
  }
  subscribe: [ "mud.node.*", "mud.ctl.*", "mud.turns", "mud.link.moved", "mud.rollcall", "_INBOX.>" ]
  allow_responses: true
}`;

export interface SecureNats {
  url: string;
  users: { gateway: string; node: string };
  passwords: { gateway: string; node: string };
  stop(): Promise<void>;
}

export async function startSecureNats(certs: TestCerts): Promise<SecureNats> {
  const bin = natsServerBinary();
  if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server)');
  const port = await freePort();
  const dir = await mkdtemp(join(tmpdir(), 'mud-secure-nats-'));
  const passwords = { gateway: 'gw-secret-7c1f', node: 'node-secret-93ab' };
  const config = join(dir, 'nats.conf');
  await writeFile(config, `
listen: 127.0.0.1:${port}
server_name: secure
jetstream { store_dir: ${JSON.stringify(join(dir, 'js'))} }
tls {
  cert_file: ${JSON.stringify(certs.serverCert)}
  key_file: ${JSON.stringify(certs.serverKey)}
  ca_file: ${JSON.stringify(certs.ca)}
  verify: true
  timeout: 2
}
accounts {
  GAME: {
    jetstream: enabled
    users: [
      { user: gateway, password: ${JSON.stringify(passwords.gateway)}, permissions: ${GATEWAY_PERMISSIONS} }
      { user: node, password: ${JSON.stringify(passwords.node)}, permissions: ${NODE_PERMISSIONS} }
    ]
  }
}
`);
  const child: ChildProcess = spawn(bin, ['-c', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-8000); });
  await waitUntil(() => /Server is ready/.test(log) || child.exitCode !== null, 15_000, () => `secure nats-server did not start:\n${log}`);
  if (child.exitCode !== null) throw new Error(`secure nats-server exited with ${child.exitCode}:\n${log}`);
  return {
    url: `tls://127.0.0.1:${port}`, users: { gateway: 'gateway', node: 'node' }, passwords,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

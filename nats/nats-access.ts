import { readFileSync } from 'node:fs';
import { credsAuthenticator, nkeyAuthenticator, type ConnectionOptions } from '@nats-io/transport-node';

/** How a process proves to NATS who it is (one of: user and password, a token,
 *  an NKey seed file, a creds file) and how it checks the server (TLS: the CA that
 *  signed the servers' certificates; a client certificate and key for mutual TLS).
 *  Secrets never leave this object except into the connection and, for the
 *  gateway's own `mud node` children, their environment (never their arguments). */
export interface NatsAccess {
  user?: string;
  password?: string;
  token?: string;
  /** A file holding an NKey seed (`SU...`). */
  nkeyFile?: string;
  /** A `.creds` file (a user JWT and its NKey seed). */
  credsFile?: string;
  /** The CA that signed the servers' certificates (PEM). Any TLS setting makes TLS required. */
  caFile?: string;
  /** This client's certificate and key (PEM), for servers that ask for one (mutual TLS). */
  certFile?: string;
  keyFile?: string;
}

/** The environment variables each setting is read from; the flags of `mud serve` and `mud node` override them. */
export const NATS_ACCESS_ENV: Record<keyof NatsAccess, string> = {
  user: 'MUD_NATS_USER',
  password: 'MUD_NATS_PASSWORD',
  token: 'MUD_NATS_TOKEN',
  nkeyFile: 'MUD_NATS_NKEY',
  credsFile: 'MUD_NATS_CREDS',
  caFile: 'MUD_NATS_CA',
  certFile: 'MUD_NATS_CERT',
  keyFile: 'MUD_NATS_KEY',
};

/** The settings from `env`, overridden by those given (flags). Throws on a mix NATS cannot use. */
export function natsAccess(given: NatsAccess, env: NodeJS.ProcessEnv = process.env): NatsAccess {
  const access: NatsAccess = {};
  for (const [key, name] of Object.entries(NATS_ACCESS_ENV) as Array<[keyof NatsAccess, string]>) {
    const value = given[key] ?? (env[name] === '' ? undefined : env[name]);
    if (value !== undefined) access[key] = value;
  }
  const ways = [access.user !== undefined || access.password !== undefined, access.token, access.nkeyFile, access.credsFile].filter(Boolean).length;
  if (ways > 1) throw new Error('give NATS one way to know this process: a user and password, a token, an NKey seed file or a creds file');
  if ((access.user === undefined) !== (access.password === undefined)) throw new Error('a NATS user needs a password, and a password a user (--nats-user, --nats-password or MUD_NATS_PASSWORD)');
  if ((access.certFile === undefined) !== (access.keyFile === undefined)) throw new Error('mutual TLS needs both the client certificate and its key (--nats-cert and --nats-key)');
  return access;
}

/** What `access` is, with nothing secret in it: for log lines (`auth=user:gw tls=mutual`). */
export function describeAccess(access: NatsAccess): { auth: string; tls: string } {
  const auth = access.user !== undefined ? `user:${access.user}` : access.token !== undefined ? 'token' : access.nkeyFile ? 'nkey' : access.credsFile ? 'creds' : 'none';
  const tls = access.certFile ? 'mutual' : access.caFile ? 'on' : 'off';
  return { auth, tls };
}

/** The options nats.js connects with. Files are read here, so a missing one is named at start-up. */
export function connectionAccess(access: NatsAccess): Partial<ConnectionOptions> {
  const o: Partial<ConnectionOptions> = {};
  if (access.user !== undefined) Object.assign(o, { user: access.user, pass: access.password });
  if (access.token !== undefined) o.token = access.token;
  if (access.nkeyFile) o.authenticator = nkeyAuthenticator(new TextEncoder().encode(readSecret(access.nkeyFile, 'NKey seed').trim()));
  if (access.credsFile) o.authenticator = credsAuthenticator(new TextEncoder().encode(readSecret(access.credsFile, 'creds')));
  if (access.caFile || access.certFile) {
    for (const [file, what] of [[access.caFile, 'CA'], [access.certFile, 'certificate'], [access.keyFile, 'key']] as const) if (file) readSecret(file, `TLS ${what}`);
    o.tls = { caFile: access.caFile, certFile: access.certFile, keyFile: access.keyFile };
  }
  return o;
}

/** The environment that gives a child process the same access (its `mud node` reads it). */
export function accessEnv(access: NatsAccess): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, name] of Object.entries(NATS_ACCESS_ENV) as Array<[keyof NatsAccess, string]>) {
    const value = access[key];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

function readSecret(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read the NATS ${what} file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

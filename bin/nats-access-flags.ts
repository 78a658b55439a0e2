import type { Command } from 'commander';
import { NATS_ACCESS_ENV, natsAccess, type NatsAccess } from '../nats/nats-access.js';

/** `--nats-*` flags for how `mud serve` and `mud node` prove who they are to NATS and check its
 *  servers. Each falls back to its MUD_NATS_* variable; none has a default that help could print,
 *  and none of their values is ever logged. */
export function natsAccessFlags(cmd: Command): Command {
  const env = NATS_ACCESS_ENV;
  return cmd
    .option('--nats-user <name>', `NATS user (or $${env.user}); its password in $${env.password} or --nats-password`)
    .option('--nats-password <password>', `NATS password (prefer $${env.password}: arguments show in ps)`)
    .option('--nats-token <token>', `NATS token (prefer $${env.token}: arguments show in ps)`)
    .option('--nats-nkey <file>', `file holding this process's NKey seed (or $${env.nkeyFile})`)
    .option('--nats-creds <file>', `NATS .creds file: user JWT and NKey seed (or $${env.credsFile})`)
    .option('--nats-ca <file>', `CA that signed the NATS servers' certificates, PEM; turns TLS on (or $${env.caFile})`)
    .option('--nats-cert <file>', `client certificate for mutual TLS, PEM (or $${env.certFile})`)
    .option('--nats-key <file>', `key of --nats-cert, PEM (or $${env.keyFile})`);
}

interface AccessFlags {
  natsUser?: string;
  natsPassword?: string;
  natsToken?: string;
  natsNkey?: string;
  natsCreds?: string;
  natsCa?: string;
  natsCert?: string;
  natsKey?: string;
}

/** The flags over the environment; throws a one-line error on a mix NATS cannot use. */
export function natsAccessOptions(o: AccessFlags): NatsAccess {
  return natsAccess({
    user: o.natsUser, password: o.natsPassword, token: o.natsToken, nkeyFile: o.natsNkey,
    credsFile: o.natsCreds, caFile: o.natsCa, certFile: o.natsCert, keyFile: o.natsKey,
  });
}

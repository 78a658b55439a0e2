import { NoRespondersError, TimeoutError } from '@nats-io/transport-node';

// What NATS errors mean to this server: nats.js wraps the telling error in others, so each test walks the causes.

/** What to check when a connection is refused: the server's door (credentials, TLS) or the server itself. */
export function refusalHint(err: unknown): string {
  const text = causes(err).map(messageOf).join(' ');
  if (/authori[sz]ation|authentication|permission/i.test(text)) return 'NATS refused this process: check --nats-user/--nats-password, --nats-token, --nats-nkey or --nats-creds (or their MUD_NATS_* variables)';
  if (/tls|certificate|ssl|handshake|self.signed/i.test(text)) return 'the TLS handshake failed: check --nats-ca, --nats-cert and --nats-key (or MUD_NATS_CA, MUD_NATS_CERT, MUD_NATS_KEY)';
  return 'is `nats-server -js` running there?';
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The server said nobody listens on the subject (a node gone, JetStream not up yet). */
export function isNoResponders(err: unknown): boolean {
  return causes(err).some((e) => e instanceof NoRespondersError);
}

export function isTimeout(err: unknown): boolean {
  return causes(err).some((e) => e instanceof TimeoutError);
}

/** An error and the chain of its causes (nats.js wraps the telling one). */
function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = err; e !== undefined && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

import type { GatewayRequests } from '../cluster/gateway-bus.js';
import type { Gateways } from '../cluster/gateways.js';
import { GatewaySilentError } from '../cluster/forked-gateway-bus.js';
import type { CertificateFacts } from '../portal/serving-certificate.js';

/** How long a gateway gets to read its certificate files again. */
const ASK_MS = 10_000;

/** `mud reload --tls` on a gateway of `mud serve --gateways N`: the gateways listen on the same TLS
 *  ports, given the same certificate files on one command line, and the admin call reaches one of
 *  them. That one reads the files again (`reloadHere`) and asks every other live gateway to, as a
 *  world reload reaches them all over the same bus (cluster/request-switch-peers.ts). A gateway that
 *  does not answer (dead, being started again) is left out: a gateway started again reads the files
 *  anew. Each also answers the others' asks with `reloadHere`. Returns the reload of them all, with
 *  this gateway's facts; it rejects with one line naming each gateway that refused. */
export function sharedTlsReload(requests: GatewayRequests, gateways: Gateways, reloadHere: () => CertificateFacts): () => Promise<CertificateFacts> {
  requests.serve('tls', () => reloadHere());
  return async () => {
    const facts = reloadHere();
    const refusals = await Promise.all(gateways.others().map((g) => requests.ask(g.id, 'tls', {}, ASK_MS).then(
      () => '',
      (err: Error) => (err instanceof GatewaySilentError ? '' : `gateway ${g.id} refused the certificate: ${err.message}`),
    )));
    const refused = refusals.filter((r) => r !== '');
    if (refused.length) throw new Error(`${refused.join('; ')} (gateway ${gateways.id} serves ${facts.fingerprint})`);
    return facts;
  };
}

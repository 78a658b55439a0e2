import type { PlayerTls } from './server-options.js';
import { ServingCertificate } from '../portal/serving-certificate.js';

interface TlsFlags {
  telnetTlsPort?: number;
  httpsPort?: number;
  tlsCert?: string;
  tlsKey?: string;
}

/** The TLS ports of `mud serve`, their certificate loaded (so a bad file stops the start-up with
 *  its name); undefined when no TLS is asked for. Throws a one-line error on a half-given set. */
export function playerTls(o: TlsFlags): PlayerTls | undefined {
  const ports = o.telnetTlsPort !== undefined || o.httpsPort !== undefined;
  const files = o.tlsCert !== undefined || o.tlsKey !== undefined;
  if (!ports && !files) return undefined;
  if (!ports) throw new Error('--tls-cert and --tls-key serve TLS ports: add --telnet-tls-port and/or --https-port');
  if (o.tlsCert === undefined || o.tlsKey === undefined) throw new Error('a TLS port needs a certificate and its key: --tls-cert FILE --tls-key FILE');
  return { certificate: ServingCertificate.load(o.tlsCert, o.tlsKey), telnetPort: o.telnetTlsPort, httpsPort: o.httpsPort };
}

import { readFileSync } from 'node:fs';
import { X509Certificate, createHash } from 'node:crypto';
import { createSecureContext, type SecureContext } from 'node:tls';

/** What a certificate is, for log lines and answers: never the key. */
export interface CertificateFacts {
  subject: string;
  validTo: string;
  /** SHA-256 of the certificate (DER), as OpenSSL and browsers show it. */
  fingerprint: string;
}

/** The certificate and key the TLS ports present, read from two PEM files. `reload()`
 *  reads them again (after the operator replaced them: `mud reload --tls`, or SIGHUP):
 *  a new handshake gets the new pair, connections already open keep theirs. A pair that
 *  does not load (a missing file, a key that does not match) is refused whole and the
 *  one in use stays. */
export class ServingCertificate {
  private ctx: SecureContext;
  private current: CertificateFacts;

  private constructor(readonly certFile: string, readonly keyFile: string) {
    [this.ctx, this.current] = load(certFile, keyFile);
  }

  /** Throws a one-line error naming the file when the pair does not load. */
  static load(certFile: string, keyFile: string): ServingCertificate {
    return new ServingCertificate(certFile, keyFile);
  }

  /** For each new handshake. */
  context(): SecureContext {
    return this.ctx;
  }

  get facts(): CertificateFacts {
    return this.current;
  }

  /** Reads both files again and serves the new pair; throws (changing nothing) if it does not load. */
  reload(): CertificateFacts {
    [this.ctx, this.current] = load(this.certFile, this.keyFile);
    return this.current;
  }
}

function load(certFile: string, keyFile: string): [SecureContext, CertificateFacts] {
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new Error(`${certFile} holds no PEM certificate`);
  }
  let ctx: SecureContext;
  try {
    ctx = createSecureContext({ cert, key });
  } catch (err) {
    throw new Error(`the TLS key ${keyFile} does not go with ${certFile}: ${(err as Error).message}`);
  }
  const fingerprint = createHash('sha256').update(x509.raw).digest('hex').toUpperCase().match(/../g)!.join(':');
  return [ctx, { subject: x509.subject.replace(/\n/g, ', '), validTo: x509.validTo, fingerprint }];
}

function read(file: string, what: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new Error(`cannot read the TLS ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

import type { Json } from '../world/core/types.js';
import { IAC, SB, SE, GMCP } from './telnet/telnet-options.js';
import { escapeIac } from './telnet/telnet-text.js';

/** One `emit` effect's data on its way to clients: a GMCP-style package name
 *  and JSON. Encoded at most once per protocol however many players receive
 *  it (a room's Comm.Channel.Text to 1,000 guests). */
export class OutOfBand {
  private text: string | undefined;
  private gmcp: Buffer | undefined;

  constructor(readonly pkg: string, readonly data: Json) {}

  /** `Package.Name {json}`: the GMCP message body, also the browser's frame body. */
  get message(): string {
    this.text ??= `${this.pkg} ${JSON.stringify(this.data)}`;
    return this.text;
  }

  /** IAC SB GMCP <message> IAC SE, IAC bytes doubled. */
  gmcpFrame(): Buffer {
    this.gmcp ??= gmcpFrame(this.message);
    return this.gmcp;
  }
}

export function gmcpFrame(message: string): Buffer {
  return Buffer.concat([Buffer.from([IAC, SB, GMCP]), escapeIac(Buffer.from(message, 'utf8')), Buffer.from([IAC, SE])]);
}

import { escapeIac } from './telnet-protocol.js';

/** One line for many sessions (a room's emote to 1,000 guests): encoded once
 *  per protocol on first use, then the same bytes are queued on every socket. */
export class SharedText {
  private telnet: Buffer | undefined;
  readonly line: string;

  constructor(text: string) {
    this.line = text.endsWith('\n') ? text : `${text}\n`;
  }

  telnetBytes(): Buffer {
    this.telnet ??= escapeIac(Buffer.from(this.line.replace(/\r\n?|\n/g, (m) => (m === '\r' ? '\r\0' : '\r\n')), 'utf8'));
    return this.telnet;
  }
}

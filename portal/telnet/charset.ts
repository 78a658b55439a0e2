// RFC 2066 CHARSET (option 42): which character set the two ends speak. The
// server speaks UTF-8 only, so it offers the option (WILL) and, once the client
// agrees (DO), asks for UTF-8; a client that accepts reads UTF-8 whatever its
// terminal type said, and one that refuses gets plain ASCII (text-render.ts
// transliterates). A client may also ask first: UTF-8 on its list is accepted,
// anything else refused. Translation tables (TTABLE) are refused, as the RFC
// allows. Mudlet and TinTin++ switch their decoding on the answer, so a player
// sees the world's own characters without configuring anything.

import { IAC, SB, SE } from './telnet-options.js';

export const CHARSET = 42;
const REQUEST = 1;
const ACCEPTED = 2;
const REJECTED = 3;
const TTABLE_IS = 4;
const TTABLE_REJECTED = 5;
/** A REQUEST may announce that it takes a translation table: "[TTABLE]" and a version octet, before its list. */
const TTABLE_MARK = '[TTABLE]';

/** What the client settled on: it reads UTF-8, or it refused UTF-8 and reads plain ASCII. */
export type CharsetAgreed = 'utf-8' | 'ascii';

/** What was settled, as a connection keeps it among its options' (`agreements.charset`, handed over on `mud upgrade`);
 *  anything else there (an older build's word) is as if nothing was. */
export function charsetAgreed(agreements: Readonly<Record<string, string>>): CharsetAgreed | undefined {
  const agreed = agreements.charset;
  return agreed === 'utf-8' || agreed === 'ascii' ? agreed : undefined;
}

/** How `config` names it. */
export function charsetLabel(agreed: CharsetAgreed): string {
  return agreed === 'utf-8' ? 'CHARSET UTF-8' : 'CHARSET refused: ASCII';
}

/** The server's own question, sent once the client has said DO CHARSET. */
export const CHARSET_REQUEST = frame(REQUEST, ';UTF-8');

/** What one of the client's CHARSET subnegotiations settles, what to answer it, and what was wrong with it. */
export interface CharsetMessage {
  agreed?: CharsetAgreed;
  reply?: Buffer;
  problem?: string;
}

/** The client's answer to our REQUEST, its own REQUEST, or a translation table we do not take. */
export function charsetMessage(payload: Buffer): CharsetMessage {
  const code = payload[0];
  const rest = payload.subarray(1).toString('latin1');
  if (code === ACCEPTED) {
    if (isUtf8(rest)) return { agreed: 'utf-8' };
    // Accepting what was never offered breaks the protocol: its text would be misread, so ASCII is the safe side.
    return { agreed: 'ascii', problem: `CHARSET: the client accepted ${JSON.stringify(rest.slice(0, 40))}, which was not offered` };
  }
  if (code === REJECTED) return { agreed: 'ascii' };
  if (code === REQUEST) {
    const list = rest.startsWith(TTABLE_MARK) ? rest.slice(TTABLE_MARK.length + 1) : rest;
    if (list.length < 2) return { reply: frame(REJECTED), problem: 'CHARSET: a request with no character set' };
    const names = list.slice(1).split(list[0]!);
    return names.some(isUtf8) ? { agreed: 'utf-8', reply: frame(ACCEPTED, 'UTF-8') } : { reply: frame(REJECTED) };
  }
  if (code === TTABLE_IS) return { reply: frame(TTABLE_REJECTED) };
  return { problem: `CHARSET: unknown subnegotiation ${code ?? '(empty)'}` };
}

function isUtf8(name: string): boolean {
  const n = name.trim().toUpperCase();
  return n === 'UTF-8' || n === 'UTF8';
}

/** IAC SB CHARSET <code> <text> IAC SE; the text is 7-bit ASCII, so no IAC to double. */
function frame(code: number, text = ''): Buffer {
  return Buffer.concat([Buffer.from([IAC, SB, CHARSET, code]), Buffer.from(text, 'latin1'), Buffer.from([IAC, SE])]);
}

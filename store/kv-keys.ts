// Store keys (`room/mystical_plaza~2`, `item/sword.2`, `account/alice`) as NATS
// KV keys. A KV key is a subject: `.` separates tokens and `~` is not allowed.
// Each `/`-separated segment becomes one token, so a scan of `room/` is the
// server-side filter `room.>`; inside a segment every byte outside
// [A-Za-z0-9_-] is written `=XX` (hex), `=` included, so decoding is exact.

const SAFE = /^[A-Za-z0-9_-]$/;

export function encodeKey(key: string): string {
  if (key === '') throw new Error('an empty key is not a valid store key');
  return key.split('/').map(encodeSegment).join('.');
}

export function decodeKey(encoded: string): string {
  return encoded.split('.').map(decodeSegment).join('/');
}

/** The KV filter that covers every key starting with `prefix`: its whole
 *  segments as tokens, then `>`; the caller still checks a partial last segment. */
export function filterFor(prefix: string): string {
  const whole = prefix.split('/').slice(0, -1);
  return whole.length === 0 ? '>' : `${whole.map(encodeSegment).join('.')}.>`;
}

function encodeSegment(segment: string): string {
  // An empty segment (`a//b`) would be an empty token, which subjects forbid;
  // a lone `=` can stand for it since a real `=` is always escaped.
  if (segment === '') return '=';
  let out = '';
  for (const ch of segment) {
    if (SAFE.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, 'utf8')) out += `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function decodeSegment(token: string): string {
  if (token === '=') return '';
  const bytes: number[] = [];
  for (let i = 0; i < token.length; i++) {
    if (token[i] === '=') {
      bytes.push(parseInt(token.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(token.charCodeAt(i));
  }
  return Buffer.from(bytes).toString('utf8');
}

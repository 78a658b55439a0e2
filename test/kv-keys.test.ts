// Store keys as NATS KV keys: valid for the server, decoded exactly, and a scan
// prefix turned into a server-side filter that covers every key it should.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeKey, encodeKey, filterFor } from '../store/kv-keys.js';

/** What nats.js and the 2.9 server accept as a KV key. */
const VALID_KV_KEY = /^[-/=.\w]+$/;

/** Whether a KV filter (`a.b.>`) matches an encoded key, as the server would. */
function matches(filter: string, key: string): boolean {
  const f = filter.split('.');
  const k = key.split('.');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '>') return k.length > i;
    if (f[i] !== k[i]) return false;
  }
  return f.length === k.length;
}

describe('kv keys', () => {
  it('kv keys - refs and accounts become readable, valid keys', () => {
    expect(encodeKey('room/mystical_plaza')).toBe('room.mystical_plaza');
    expect(encodeKey('room/mystical_plaza~2')).toBe('room.mystical_plaza=7E2');
    expect(encodeKey('item/sword.2')).toBe('item.sword=2E2');
    expect(encodeKey('account/alice')).toBe('account.alice');
    expect(encodeKey('meta/wizard')).toBe('meta.wizard');
    expect(decodeKey('room.mystical_plaza=7E2')).toBe('room/mystical_plaza~2');
    expect(() => encodeKey('')).toThrow(/empty key/);
  });

  it('kv keys - any key round-trips, is valid, has no empty token, and is covered by the filter of each of its prefixes', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }), fc.nat(), (key, cut) => {
      const encoded = encodeKey(key);
      expect(decodeKey(encoded)).toBe(key);
      expect(encoded).toMatch(VALID_KV_KEY);
      expect(encoded.split('.').every((t) => t.length > 0)).toBe(true);
      const prefix = key.slice(0, cut % (key.length + 1));
      expect(matches(filterFor(prefix), encoded)).toBe(true);
    }), { numRuns: 500 });
  });

  it('kv keys - the filter of room/ leaves out other kinds', () => {
    expect(filterFor('room/')).toBe('room.>');
    expect(matches('room.>', encodeKey('roomx'))).toBe(false);
    expect(matches('room.>', encodeKey('item/a'))).toBe(false);
    expect(filterFor('')).toBe('>');
  });
});

import { describe, it, expect } from 'vitest';
import { LineAssembler, type LineProblem } from '../portal/telnet/line-assembler.js';

function harness(maxLineBytes?: number) {
  const lines: string[] = [];
  const problems: LineProblem[] = [];
  const asm = new LineAssembler(maxLineBytes === undefined ? {} : { maxLineBytes }, (l) => lines.push(l), (p) => problems.push(p));
  return { asm, lines, problems };
}

function feed(chunks: Buffer[], maxLineBytes?: number) {
  const h = harness(maxLineBytes);
  for (const c of chunks) h.asm.push(c);
  return { lines: h.lines, problems: h.problems };
}

describe('LineAssembler', () => {
  it('line ends - LF, CR LF, CR NUL and bare CR each end one line', () => {
    const { lines } = feed([Buffer.from('a\nb\r\nc\r\0d\re\n')]);
    expect(lines).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('line ends - empty lines are delivered as empty strings', () => {
    const { lines } = feed([Buffer.from('\r\n\n\r\0\rx\n')]);
    expect(lines).toEqual(['', '', '', '', 'x']);
  });

  it('line ends - an unterminated line waits for its end', () => {
    const h = harness();
    h.asm.push(Buffer.from('look'));
    expect(h.lines).toEqual([]);
    h.asm.push(Buffer.from('\r\n'));
    expect(h.lines).toEqual(['look']);
  });

  it('splitting - every split and byte-by-byte feeding give the same lines', () => {
    const input = Buffer.concat([
      Buffer.from('say héllo ⚔ 😀\r\nb\rc\r\0d\n\r\n'),
      Buffer.from([0xc3, 0x28, 0x0a]), // invalid UTF-8 line
      Buffer.from('x'.repeat(30) + '\r\nend\r'),
    ]);
    const whole = feed([input], 20);
    expect(whole.lines).toEqual(['say héllo ⚔ 😀', 'b', 'c', 'd', '', 'end']);
    expect(whole.problems).toEqual(['invalid-utf8', 'too-long']);
    for (let i = 1; i < input.length; i++) {
      expect(feed([input.subarray(0, i), input.subarray(i)], 20)).toEqual(whole);
    }
    expect(feed([...input].map((x) => Buffer.from([x])), 20)).toEqual(whole);
  });

  it('utf-8 - a multi-byte character split across chunks is decoded', () => {
    const bytes = Buffer.from('€\n');
    const { lines, problems } = feed([bytes.subarray(0, 1), bytes.subarray(1, 2), bytes.subarray(2)]);
    expect(lines).toEqual(['€']);
    expect(problems).toEqual([]);
  });

  it('utf-8 - a line with invalid UTF-8 is dropped and reported, the next line is fine', () => {
    const { lines, problems } = feed([Buffer.from([0x61, 0xff, 0x62, 0x0a]), Buffer.from('ok\n')]);
    expect(lines).toEqual(['ok']);
    expect(problems).toEqual(['invalid-utf8']);
  });

  it('too long - exactly 4096 bytes are accepted by default', () => {
    const { lines, problems } = feed([Buffer.from('a'.repeat(4096) + '\n')]);
    expect(lines).toEqual(['a'.repeat(4096)]);
    expect(problems).toEqual([]);
  });

  it('too long - 4097 bytes are discarded whole, reported once, and the next line works', () => {
    const { lines, problems } = feed([Buffer.from('b'.repeat(4097)), Buffer.from('b'.repeat(10000) + '\r\nnext\r\n')]);
    expect(lines).toEqual(['next']);
    expect(problems).toEqual(['too-long']);
  });

  it('too long - the limit applies to a line fed in many small chunks', () => {
    const h = harness(8);
    for (let i = 0; i < 30; i++) h.asm.push(Buffer.from('abc'));
    h.asm.push(Buffer.from('\nhi\n'));
    expect(h.lines).toEqual(['hi']);
    expect(h.problems).toEqual(['too-long']);
  });

  it('too long - a line that never ends is reported again every 16 line lengths', () => {
    const h = harness(8);
    h.asm.push(Buffer.alloc(8 + 1 + 8 * 16 * 2, 0x61));
    expect(h.problems).toEqual(['too-long', 'too-long', 'too-long']);
    h.asm.push(Buffer.from('\nhi\n'));
    expect(h.lines).toEqual(['hi']);
  });

  it('too long - an invalid limit is rejected', () => {
    expect(() => new LineAssembler({ maxLineBytes: 0 }, () => {}, () => {})).toThrow(RangeError);
  });

  it('cleaning - control characters are stripped and TAB becomes a space', () => {
    const { lines } = feed([Buffer.from('a\x00b\x1b[31mc\x07d\te\u0085f\u009bg\n')]);
    expect(lines).toEqual(['ab[31mcd efg']);
  });

  it('cleaning - leading and trailing whitespace is trimmed', () => {
    const { lines } = feed([Buffer.from('  \t go north \t \n')]);
    expect(lines).toEqual(['go north']);
  });

  it('backspace - BS and DEL delete the previous character, not more', () => {
    const { lines } = feed([Buffer.from('lookk\x08 \x7f\x7f at me\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08\x08x\n')]);
    expect(lines).toEqual(['x']);
    expect(feed([Buffer.from('nortj\x08h\n')]).lines).toEqual(['north']);
    expect(feed([Buffer.from('a😀\x7fb\n')]).lines).toEqual(['ab']);
  });
});

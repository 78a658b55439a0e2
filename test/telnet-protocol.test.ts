import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  TelnetProtocol, escapeIac, type TelnetEvent,
  IAC, DO, DONT, WILL, WONT, SB, SE, AYT, NOP, GA, DM, BRK, IP, EC, EL, EOR_CMD,
  ECHO, SGA, TTYPE, EOR, NAWS, MSSP, TTYPE_IS, TTYPE_SEND, MAX_ERROR_EVENTS, MAX_SUBNEGOTIATION, REPLY_BURST,
} from '../portal/telnet/telnet-protocol.js';

type Entry =
  | { kind: 'data'; text: string }
  | { kind: 'write'; bytes: number[] }
  | { kind: 'event'; event: TelnetEvent };

/** A protocol wired to a log. Consecutive data entries are merged, because
 *  how data is cut into callbacks depends on how the input was chunked. */
function harness() {
  const log: Entry[] = [];
  const proto = new TelnetProtocol({
    write: (b) => log.push({ kind: 'write', bytes: [...b] }),
    data: (b) => {
      const last = log[log.length - 1];
      if (last?.kind === 'data') last.text += b.toString('latin1');
      else log.push({ kind: 'data', text: b.toString('latin1') });
    },
    event: (e) => log.push({ kind: 'event', event: e }),
  });
  const writes = () => log.flatMap((e) => (e.kind === 'write' ? [e.bytes] : []));
  const events = () => log.flatMap((e) => (e.kind === 'event' ? [e.event] : []));
  const data = () => log.map((e) => (e.kind === 'data' ? e.text : '')).join('');
  const clear = () => { log.length = 0; };
  return { proto, log, writes, events, data, clear };
}

const b = (...parts: (number | string | number[] | Buffer)[]): Buffer =>
  Buffer.concat(parts.map((p) => {
    if (typeof p === 'string') return Buffer.from(p, 'latin1');
    if (typeof p === 'number') return Buffer.from([p]);
    return Buffer.from(p);
  }));

const sb = (option: number, ...payload: (number | string)[]) => b(IAC, SB, option, ...payload, IAC, SE);

/** The stream a real client might send, with every feature and some garbage. */
const stream = b(
  'hello ', IAC, IAC, ' world\r\n',
  IAC, WILL, NAWS, IAC, WILL, TTYPE, IAC, DO, SGA, IAC, DO, EOR,
  IAC, WILL, ECHO, IAC, DO, 200, IAC, WONT, 77,
  sb(NAWS, 0, IAC, IAC, 0, 24),
  sb(TTYPE, TTYPE_IS, 'MUDLET'),
  'typed\r\0x\r\n', IAC, AYT, IAC, NOP, IAC, GA, IAC, DM, IAC, EC, IAC, EL, IAC, EOR_CMD,
  IAC, 17, IAC, SE, IAC, BRK,
  sb(NAWS, 1, 2),
  IAC, SB, MSSP, 'x'.repeat(MAX_SUBNEGOTIATION + 88), IAC, SE,
  'after\r\n',
  IAC, SB, TTYPE, TTYPE_IS, 'AB', IAC, WILL, 99,
  sb(TTYPE, TTYPE_IS, 'XTERM-256COLOR'),
  sb(TTYPE, TTYPE_IS, 'MTTS 137'),
  'bye', IAC, IP,
);

function run(chunks: Buffer[]) {
  const h = harness();
  h.proto.start();
  for (const c of chunks) h.proto.receive(c);
  return h.log;
}

describe('TelnetProtocol', () => {
  it('splitting - every split of a representative stream gives identical data, events and writes', () => {
    const whole = run([stream]);
    for (let i = 1; i < stream.length; i++) {
      expect(run([stream.subarray(0, i), stream.subarray(i)])).toEqual(whole);
    }
    const bytes = [...stream].map((x) => Buffer.from([x]));
    expect(run(bytes)).toEqual(whole);
  });

  it('splitting - random multi-way splits agree with the whole stream', () => {
    const whole = run([stream]);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 1, max: stream.length - 1 }), { maxLength: 30 }), (cuts) => {
      const points = [0, ...cuts.sort((x, y) => x - y), stream.length];
      const chunks = points.slice(1).map((end, i) => stream.subarray(points[i], end));
      expect(run(chunks)).toEqual(whole);
    }));
  });

  it('splitting - the representative stream produces the expected results', () => {
    const h = harness();
    h.proto.start();
    h.proto.receive(stream);
    expect(h.data()).toBe('hello \xff world\r\ntyped\rx\r\nafter\r\nbye');
    expect(h.proto.width).toBe(255);
    expect(h.proto.height).toBe(24);
    expect(h.proto.terminalTypes).toEqual(['MUDLET', 'XTERM-256COLOR', 'MTTS 137']);
    expect(h.proto.mttsFlags).toBe(137);
    const errors = h.events().filter((e) => e.type === 'error');
    // NAWS of 2 bytes, the overlong SB, the TTYPE SB cut short by IAC WILL.
    expect(errors).toHaveLength(3);
    expect(h.events()).toContainEqual({ type: 'command', command: BRK });
    expect(h.events()).toContainEqual({ type: 'command', command: IP });
    expect(h.writes()).toContainEqual([...Buffer.from('\r\n[yes]\r\n')]);
    expect(h.writes()).toContainEqual([IAC, DONT, 99]);
  });

  it('errors - an overlong subnegotiation is dropped once and parsing recovers at IAC SE', () => {
    const h = harness();
    h.proto.receive(b('a', IAC, SB, MSSP, Buffer.alloc(MAX_SUBNEGOTIATION + 100, 7), IAC, SE, 'b'));
    expect(h.data()).toBe('ab');
    expect(h.events()).toEqual([{ type: 'error', message: expect.stringContaining(`longer than ${MAX_SUBNEGOTIATION}`) }]);
  });

  it('errors - a subnegotiation of exactly the limit is kept', () => {
    const h = harness();
    h.proto.receive(b(IAC, SB, NAWS, Buffer.alloc(MAX_SUBNEGOTIATION, 1), IAC, SE));
    expect(h.events()).toEqual([{ type: 'error', message: expect.stringContaining(`NAWS subnegotiation of ${MAX_SUBNEGOTIATION}`) }]);
  });

  it('errors - arbitrary input never throws and error events are bounded', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
      const h = harness();
      h.proto.start();
      expect(() => h.proto.receive(Buffer.from(bytes))).not.toThrow();
    }));
    const h = harness();
    for (let i = 0; i < 1000; i++) h.proto.receive(sb(NAWS, 1));
    expect(h.events()).toHaveLength(MAX_ERROR_EVENTS);
  });

  it('data - CR NUL becomes CR and CR LF passes through', () => {
    const h = harness();
    h.proto.receive(b('a\r\0b\r\nc\0d'));
    expect(h.data()).toBe('a\rb\r\nc\0d');
  });

  it('data - IAC IAC is a literal 255', () => {
    const h = harness();
    h.proto.receive(b(IAC, IAC, IAC, IAC, 'x'));
    expect(h.data()).toBe('\xff\xffx');
  });

  it('commands - AYT is answered, NOP GA DM EC EL EOR and unknown codes are ignored', () => {
    const h = harness();
    h.proto.receive(b(IAC, NOP, IAC, GA, IAC, DM, IAC, EC, IAC, EL, IAC, EOR_CMD, IAC, 3, IAC, SE, IAC, AYT));
    expect(h.log).toEqual([{ kind: 'write', bytes: [...Buffer.from('\r\n[yes]\r\n')] }]);
  });

  it('commands - an AYT or negotiation flood gets at most the reply burst, the rest reported as errors', () => {
    const h = harness();
    h.proto.receive(Buffer.from(Array.from({ length: 1000 }, () => [IAC, AYT]).flat()));
    expect(h.writes()).toHaveLength(REPLY_BURST);
    expect(h.events().filter((e) => e.type === 'error').length).toBeGreaterThan(0);
    h.clear();
    h.proto.receive(Buffer.from(Array.from({ length: 1000 }, (_, i) => [IAC, i % 2 ? WONT : WILL, 1]).flat()));
    expect(h.writes()).toEqual([]); // the bucket is empty: toggles are ignored, no state changes
    expect(h.proto.isEnabled(1, 'remote')).toBe(false);
  });
});

describe('TelnetProtocol negotiation', () => {
  it('negotiation - start offers EOR and asks for NAWS and TTYPE, not SGA', () => {
    const h = harness();
    h.proto.start();
    expect(h.writes()).toEqual([[IAC, WILL, EOR], [IAC, DO, NAWS], [IAC, DO, TTYPE]]);
  });

  it('negotiation - answers to our offers are not answered again', () => {
    const h = harness();
    h.proto.start();
    h.clear();
    h.proto.receive(b(IAC, DO, EOR, IAC, WILL, NAWS));
    expect(h.writes()).toEqual([]);
    expect(h.proto.isEnabled(EOR, 'local')).toBe(true);
    expect(h.proto.isEnabled(NAWS, 'remote')).toBe(true);
    expect(h.events()).toEqual([
      { type: 'option', option: EOR, side: 'local', enabled: true },
      { type: 'option', option: NAWS, side: 'remote', enabled: true },
    ]);
  });

  it('negotiation - refusals of our offers leave the options off without replies', () => {
    const h = harness();
    h.proto.start();
    h.clear();
    h.proto.receive(b(IAC, DONT, EOR, IAC, WONT, NAWS, IAC, WONT, TTYPE));
    expect(h.log).toEqual([]);
    expect(h.proto.isEnabled(NAWS, 'remote')).toBe(false);
  });

  it('negotiation - supported options offered or asked by the peer are accepted', () => {
    const h = harness();
    h.proto.receive(b(IAC, DO, SGA, IAC, DO, EOR, IAC, WILL, NAWS, IAC, WILL, TTYPE));
    expect(h.writes()).toEqual([
      [IAC, WILL, SGA], [IAC, WILL, EOR], [IAC, DO, NAWS], [IAC, DO, TTYPE], [IAC, SB, TTYPE, TTYPE_SEND, IAC, SE],
    ]);
  });

  it('negotiation - unsupported options are refused, ECHO included unless the server wants it', () => {
    const h = harness();
    h.proto.receive(b(IAC, WILL, ECHO, IAC, WILL, SGA, IAC, DO, ECHO, IAC, DO, 200, IAC, WILL, 201));
    expect(h.writes()).toEqual([[IAC, DONT, ECHO], [IAC, DONT, SGA], [IAC, WONT, ECHO], [IAC, WONT, 200], [IAC, DONT, 201]]);
    expect(h.events()).toEqual([]);
  });

  it('negotiation - WONT or DONT for an option that is off gets no reply', () => {
    const h = harness();
    h.proto.receive(b(IAC, WONT, NAWS, IAC, DONT, ECHO, IAC, DONT, 200));
    expect(h.log).toEqual([]);
  });

  it('negotiation - the peer switching an enabled option off is acknowledged once', () => {
    const h = harness();
    h.proto.receive(b(IAC, DO, SGA));
    h.clear();
    h.proto.receive(b(IAC, DONT, SGA, IAC, DONT, SGA));
    expect(h.writes()).toEqual([[IAC, WONT, SGA]]);
    expect(h.events()).toEqual([{ type: 'option', option: SGA, side: 'local', enabled: false }]);
  });

  it('negotiation - no loop against a peer that acknowledges every request', () => {
    // The classic loop: a peer that answers every DO with WILL and every WILL
    // with DO, even when nothing changed.
    const mirror: Record<number, number> = { [DO]: WILL, [DONT]: WONT, [WILL]: DO, [WONT]: DONT };
    let exchanged = 0;
    const queue: Buffer[] = [];
    const server = new TelnetProtocol({
      write: (bytes) => queue.push(bytes),
      data: () => {},
    });
    server.start();
    server.setEcho(true);
    server.setEcho(false);
    server.setEcho(true);
    while (queue.length > 0) {
      const out = queue.shift()!;
      expect(++exchanged).toBeLessThan(50);
      if (out[0] === IAC && out[1]! in mirror) server.receive(b(IAC, mirror[out[1]!]!, out[2]!));
    }
    expect(server.isEnabled(ECHO, 'local')).toBe(true);
    expect(server.isEnabled(EOR, 'local')).toBe(true);
    expect(server.isEnabled(NAWS, 'remote')).toBe(true);
  });

  it('negotiation - two servers talking to each other settle', () => {
    const a2b: Buffer[] = [];
    const b2a: Buffer[] = [];
    const a = new TelnetProtocol({ write: (x) => a2b.push(x), data: () => {} });
    const c = new TelnetProtocol({ write: (x) => b2a.push(x), data: () => {} });
    a.start();
    c.start();
    let rounds = 0;
    while (a2b.length + b2a.length > 0) {
      expect(++rounds).toBeLessThan(50);
      a2b.splice(0).forEach((x) => c.receive(x));
      b2a.splice(0).forEach((x) => a.receive(x));
    }
    // Each refuses what the other offers or asks: everything ends up off.
    for (const p of [a, c]) {
      expect(p.isEnabled(EOR, 'local')).toBe(false);
      expect(p.isEnabled(NAWS, 'remote')).toBe(false);
      expect(p.isEnabled(TTYPE, 'remote')).toBe(false);
    }
  });

  it('echo - setEcho(true) sends IAC WILL ECHO once and is idempotent', () => {
    const h = harness();
    h.proto.setEcho(true);
    h.proto.setEcho(true);
    expect(h.writes()).toEqual([[IAC, WILL, ECHO]]);
    h.proto.receive(b(IAC, DO, ECHO));
    h.proto.setEcho(true);
    expect(h.writes()).toEqual([[IAC, WILL, ECHO]]);
    expect(h.proto.isEnabled(ECHO, 'local')).toBe(true);
  });

  it('echo - setEcho(false) sends WONT ECHO once and the answer is not answered', () => {
    const h = harness();
    h.proto.setEcho(true);
    h.proto.receive(b(IAC, DO, ECHO));
    h.clear();
    h.proto.setEcho(false);
    h.proto.setEcho(false);
    h.proto.receive(b(IAC, DONT, ECHO));
    expect(h.writes()).toEqual([[IAC, WONT, ECHO]]);
    expect(h.proto.isEnabled(ECHO, 'local')).toBe(false);
  });

  it('echo - switching off before the peer answered is queued, then sent', () => {
    const h = harness();
    h.proto.setEcho(true);
    h.proto.setEcho(false);
    expect(h.writes()).toEqual([[IAC, WILL, ECHO]]);
    h.proto.receive(b(IAC, DO, ECHO));
    expect(h.writes()).toEqual([[IAC, WILL, ECHO], [IAC, WONT, ECHO]]);
    h.proto.receive(b(IAC, DONT, ECHO));
    expect(h.writes()).toHaveLength(2);
    expect(h.proto.isEnabled(ECHO, 'local')).toBe(false);
  });

  it('echo - a refused WILL ECHO leaves echo off', () => {
    const h = harness();
    h.proto.setEcho(true);
    h.proto.receive(b(IAC, DONT, ECHO));
    expect(h.writes()).toEqual([[IAC, WILL, ECHO]]);
    expect(h.proto.isEnabled(ECHO, 'local')).toBe(false);
  });
});

describe('TelnetProtocol subnegotiation', () => {
  it('naws - width and height are read, an escaped 255 included', () => {
    const h = harness();
    expect([h.proto.width, h.proto.height]).toEqual([80, 24]);
    h.proto.receive(sb(NAWS, 0, IAC, IAC, 1, 0));
    expect(h.events()).toEqual([{ type: 'naws', width: 255, height: 256 }]);
    expect([h.proto.width, h.proto.height]).toEqual([255, 256]);
  });

  it('naws - a zero dimension means unknown and keeps the previous value', () => {
    const h = harness();
    h.proto.receive(sb(NAWS, 0, 0, 0, 50));
    expect([h.proto.width, h.proto.height]).toEqual([80, 50]);
  });

  it('ttype - MTTS cycling asks three times and reads the flags', () => {
    const h = harness();
    const send = [IAC, SB, TTYPE, TTYPE_SEND, IAC, SE];
    h.proto.receive(b(IAC, WILL, TTYPE));
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'MUDLET'));
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'ANSI-TRUECOLOR'));
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'MTTS 2825'));
    expect(h.writes()).toEqual([[IAC, DO, TTYPE], send, send, send]);
    expect(h.proto.terminalTypes).toEqual(['MUDLET', 'ANSI-TRUECOLOR', 'MTTS 2825']);
    expect(h.proto.mttsFlags).toBe(2825);
    expect(h.events().filter((e) => e.type !== 'option')).toEqual([
      { type: 'ttype', name: 'MUDLET' },
      { type: 'ttype', name: 'ANSI-TRUECOLOR' },
      { type: 'ttype', name: 'MTTS 2825' },
      { type: 'mtts', flags: 2825 },
    ]);
  });

  it('ttype - cycling stops when the answer repeats', () => {
    const h = harness();
    h.proto.receive(b(IAC, WILL, TTYPE));
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'XTERM'));
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'XTERM'));
    const sends = h.writes().filter((w) => w[1] === SB);
    expect(sends).toHaveLength(2);
    expect(h.proto.terminalTypes).toEqual(['XTERM']);
    expect(h.proto.mttsFlags).toBeUndefined();
  });

  it('ttype - never more than three asks and unsolicited answers ask nothing', () => {
    const h = harness();
    h.proto.receive(b(IAC, WILL, TTYPE));
    for (const name of ['A', 'B', 'C', 'D', 'E']) h.proto.receive(sb(TTYPE, TTYPE_IS, name));
    expect(h.writes().filter((w) => w[1] === SB)).toHaveLength(3);
    expect(h.proto.terminalTypes).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('ttype - non-printable bytes are removed from names', () => {
    const h = harness();
    h.proto.receive(sb(TTYPE, TTYPE_IS, 'VT\x1b[2J100'));
    expect(h.proto.terminalTypes).toEqual(['VT[2J100']);
  });
});

describe('TelnetProtocol output', () => {
  it('encodeText - newlines become CR LF and a bare CR becomes CR NUL', () => {
    const p = new TelnetProtocol({ write: () => {}, data: () => {} });
    expect([...p.encodeText('a\nb\r\nc\rd')]).toEqual([...Buffer.from('a\r\nb\r\nc\r\0d')]);
  });

  it('encodeText - text is UTF-8', () => {
    const p = new TelnetProtocol({ write: () => {}, data: () => {} });
    expect(p.encodeText('café ⚔').toString('utf8')).toBe('café ⚔');
  });

  it('escapeIac - every 0xFF byte is doubled', () => {
    expect([...escapeIac(Buffer.from([1, 255, 2, 255, 255]))]).toEqual([1, 255, 255, 2, 255, 255, 255, 255]);
    expect([...escapeIac(Buffer.from([1, 2]))]).toEqual([1, 2]);
  });

  it('promptMark - GA by default, EOR once agreed, nothing with SGA but no EOR', () => {
    const h = harness();
    expect([...h.proto.promptMark()]).toEqual([IAC, GA]);
    h.proto.receive(b(IAC, DO, SGA));
    expect([...h.proto.promptMark()]).toEqual([]);
    h.proto.receive(b(IAC, DO, EOR));
    expect([...h.proto.promptMark()]).toEqual([IAC, EOR_CMD]);
    h.proto.receive(b(IAC, DONT, EOR, IAC, DONT, SGA));
    expect([...h.proto.promptMark()]).toEqual([IAC, GA]);
  });
});

// `node dist/bench/framing.js`: the receive path's cost per 64 KiB chunk, with
// no sockets: TelnetProtocol in front of a LineAssembler, as a TelnetConnection
// has them. Plain lines (80 bytes each) are what players send; random bytes
// are what a garbage flood sends (an IAC every 256 bytes, invalid UTF-8).
import { TelnetProtocol } from '../portal/telnet/telnet-protocol.js';
import { LineAssembler } from '../portal/telnet/line-assembler.js';
import { mulberry32 } from '../world/core/seeded-random.js';

const CHUNK = 64 * 1024;
const ROUNDS = 300;

const next = mulberry32(1);
const random = Buffer.alloc(CHUNK);
for (let i = 0; i < CHUNK; i++) random[i] = Math.floor(next() * 256);
const plain = Buffer.alloc(CHUNK, 0x61);
for (let i = 80; i < CHUNK; i += 81) plain[i] = 0x0a;
const oneLine = Buffer.alloc(CHUNK, 0x61);

for (const [name, chunk] of [['plain 80-byte lines', plain], ['random bytes', random], ['one endless line', oneLine]] as const) {
  let lines = 0;
  const started = performance.now();
  for (let k = 0; k < ROUNDS; k++) {
    const assembler = new LineAssembler({}, () => lines++, () => undefined);
    new TelnetProtocol({ write: () => undefined, data: (b) => assembler.push(b), event: () => undefined }).receive(chunk);
  }
  const ms = (performance.now() - started) / ROUNDS;
  console.log(`${name.padEnd(20)} ${ms.toFixed(3)} ms per 64 KiB chunk, ${Math.round(CHUNK / 1024 / 1024 / (ms / 1000))} MiB/s (${Math.round(lines / ROUNDS)} lines per chunk)`);
}

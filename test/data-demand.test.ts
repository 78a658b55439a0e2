// Whether any client takes out-of-band data, counted from real telnet
// connections: turns build GMCP data only while one does (TurnConfig.clientData).
import { createServer, type AddressInfo, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDemand } from '../portal/data-demand.js';
import { TelnetConnection } from '../portal/telnet/telnet-connection.js';
import { DONT, GMCP, IAC } from '../portal/telnet/telnet-options.js';
import { RawTelnet } from '../portal/telnet/raw-telnet.js';

let server: Server | undefined;
const clients: RawTelnet[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await new Promise((r) => server?.close(r) ?? r(undefined));
});

/** A telnet listener whose connections count in `demand`; `changes` records every flip of `wanted`. */
async function listen(demand: DataDemand): Promise<number> {
  server = createServer((socket) => new TelnetConnection(socket).countIn(demand));
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
}

function nextChange(demand: DataDemand, changes: boolean[], count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`expected ${count} changes, saw ${JSON.stringify(changes)}`)), 10_000);
    const check = () => {
      if (changes.length < count) return;
      clearTimeout(timer);
      resolve();
    };
    demand.onChange(check);
    check();
  });
}

describe('data demand', () => {
  it('data demand - plain telnet takes none; GMCP agreed counts until DONT GMCP or the close, once; never below zero', async () => {
    const demand = new DataDemand();
    const changes: boolean[] = [];
    demand.onChange((w) => changes.push(w));
    const port = await listen(demand);
    const plain = await RawTelnet.open(port, {});
    clients.push(plain);
    const mapper = await RawTelnet.open(port, { gmcp: true });
    clients.push(mapper);
    await nextChange(demand, changes, 1);
    expect(changes).toEqual([true]);
    const second = await RawTelnet.open(port, { gmcp: true });
    clients.push(second);
    await second.until(() => second.agreed.has(GMCP), 'GMCP agreed');
    // One client withdraws GMCP mid-session, the other leaves: nobody takes data.
    mapper.socket.write(Buffer.from([IAC, DONT, GMCP]));
    second.close();
    await nextChange(demand, changes, 2);
    expect(changes).toEqual([true, false]);
    expect(demand.wanted).toBe(false);
    mapper.close(); // it had stopped taking already: its close takes nothing off
    plain.close();
    const third = await RawTelnet.open(port, { gmcp: true });
    clients.push(third);
    await nextChange(demand, changes, 3);
    expect(changes).toEqual([true, false, true]);
  });
});

import { waitUntil } from './nats-server.js';
import { spawnServer, type ServerProcess } from './server-process.js';
import { player } from './test-server.js';
import type { TelnetClient } from '../../portal/telnet/telnet-client.js';

/** `mud serve --gateways 2` (with `args`) on free ports, resolved once both gateway processes are ready. */
export async function spawnTwoGateways(args: string[]): Promise<ServerProcess> {
  const server = await spawnServer(['--gateways', '2', ...args]);
  await waitUntil(() => /info ready .* gw=gw-1/.test(server.log()) && /info ready .* gw=gw-2/.test(server.log()), 30_000, () => `both gateways ready:\n${server.log()}`);
  return server;
}

/** Logs `name` in on `mud serve --gateways N` (created the first time: `created` remembers) until the
 *  cluster module put the connection on gateway `gw`: which gateway a connection lands on is its
 *  choice, learnt from the gateway's login line. */
export async function playerOn(server: ServerProcess, gw: string, name: string, created: Set<string>): Promise<TelnetClient> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const from = server.log().length;
    const c = await player(server.telnetPort, name, 'secret', created.has(name) ? 'connect' : 'create');
    created.add(name);
    let landed = '';
    await waitUntil(() => {
      landed = new RegExp(`info login player=player/${name} .* gw=(gw-\\d)`).exec(server.log().slice(from))?.[1] ?? '';
      return landed !== '';
    }, 10_000, () => `no login line for ${name}`);
    if (landed === gw) return c;
    c.send('quit');
    await c.waitClosed();
  }
  throw new Error(`${name} never landed on ${gw}`);
}

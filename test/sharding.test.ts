// Actor-mode sharding: once the plaza holds N players, newcomers enter
// mystical_plaza~2 (its own crowd, its own home); where and look say which
// shard you are in; an emptied shard retires.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { player, startTestServer, type TestServer } from './helpers/test-server.js';
import { Logger, type LogEvent } from '../support/logger.js';
import type { TelnetClient } from '../portal/telnet/telnet-client.js';

/** The answer to `line`, from its first line on: lines others caused just before
 *  it (sent with the answer, on the output pulse) are left out. */
async function fresh(c: TelnetClient, line: string, first = /^/m): Promise<string> {
  c.drain();
  const text = await c.command(line);
  return text.slice(text.search(first));
}

const ROOM = /^The Mystical Plaza/m;

describe('sharding', () => {
  let server: TestServer;
  const events: LogEvent[] = [];
  beforeAll(async () => {
    const log = new Logger(null);
    log.subscribe((e) => events.push(e));
    server = await startTestServer({ dispatch: 'actor', nodes: 3, shardCapacity: 3, log });
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  it('shards - the fourth guest enters shard 2, sees only its own crowd, and the shard retires when empty', async () => {
    const names = ['quinn', 'rosa', 'sven', 'tara', 'umar'];
    const guests: TelnetClient[] = [];
    for (const n of names) guests.push(await player(server.telnetPort, n));
    expect(await fresh(guests[0], 'look', ROOM)).toMatch(/^The Mystical Plaza\n[\s\S]*(Rosa and Sven|Sven and Rosa) are here\./);
    const tara = await fresh(guests[3], 'look', ROOM);
    expect(tara).toMatch(/^The Mystical Plaza \[shard 2\]\n/);
    expect(tara).toMatch(/Umar is here\./);
    expect(await fresh(guests[4], 'where')).toMatch(/Tara\s+The Mystical Plaza \[shard 2\]/);
    await fresh(guests[3], ':waves to her shard');
    expect(await fresh(guests[4], 'look')).toMatch(/Tara waves to her shard/);
    expect(await fresh(guests[0], 'look')).not.toMatch(/Tara waves/);
    expect(events.some((e) => String(e.fields.text).includes('shard room/mystical_plaza~2 opened'))).toBe(true);
    await fresh(guests[3], 'east');
    await fresh(guests[4], 'east');
    for (let i = 0; i < 50 && !events.some((e) => String(e.fields.text).includes('retired')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(events.some((e) => String(e.fields.text).includes('shard room/mystical_plaza~2 retired'))).toBe(true);
    for (const g of guests) g.close();
  });
});

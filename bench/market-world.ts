import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_WORLD } from '../support/paths.js';

// The world the `market` bench trades in: the default world as shipped, plus
// brass tokens lying in the Lantern Market (`tokensEach` per trader, a coin
// each at Pell's stall), a till deep enough for every trader's first sale, and
// shelves (`holds`) for every token besides her own stock: a market of 200 traders
// needs a bigger stall than the shipped one (40 things), which refused 164 of their
// 200 opening sales. Everything else, Pell's prices and the plaza's crowd, is as shipped.

/** A token's price, and what Pell pays for one (half a price, at least a coin): the same, so buying and
 *  selling go on for the whole run. At 2 he paid 1 and asked 2, every pair's coins drained into his till
 *  within the first second, and the measured window had no purchase or sale left (0 buys/s, 0 sells/s). */
export const TOKEN_VALUE = 1;
const TILL = 100_000;
/** Room on Pell's shelves for her own stock, above the tokens: the shipped stall's 40. */
const OWN_STOCK_ROOM = 40;

/** Writes the market world for `traders` into `dir` (replacing it) and returns its path. */
export async function writeMarketWorld(dir: string, traders: number, tokensEach: number): Promise<string> {
  await rm(dir, { recursive: true, force: true });
  await cp(DEFAULT_WORLD, dir, { recursive: true });
  const count = traders * tokensEach;
  const tokens = Array.from({ length: count }, (_, i) => `bench_token.${i + 1}`);
  await writeFile(join(dir, 'items', 'bench-tokens.yaml'), `# Written by bench/market-world.ts: what the market bench's traders trade.
items:
  bench_token:
    kind: item
    name: a brass token
    keywords: [token, brass]
    description: A brass token stamped with a lantern.
    value: ${TOKEN_VALUE}
    respawn: never
    instances: [${Array.from({ length: count }, () => '{}').join(', ')}]
`);
  await edit(join(dir, 'rooms', 'plaza.yaml'), 'items: [apple.1, apple.2, apple.3, lantern, pell]', `items: [apple.1, apple.2, apple.3, lantern, pell, ${tokens.join(', ')}]`);
  await edit(join(dir, 'items', 'market.yaml'), '    coins: 200\n', `    coins: ${TILL}\n    holds: ${count + OWN_STOCK_ROOM}\n`);
  return dir;
}

async function edit(file: string, from: string, to: string): Promise<void> {
  const text = await readFile(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer has "${from.trim()}": bench/market-world.ts must follow the default world`);
  await writeFile(file, text.replace(from, to));
}

import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { Logger } from '../support/logger.js';
import { StdioLogSink } from '../support/stdio-log-sink.js';
import { NatsLink } from '../nats/nats-connection.js';
import { natsServers } from '../nats/nats-servers.js';
import { NatsNode } from '../lattice/nats/nats-node.js';
import { NodeRuntime } from '../modes/node-runtime.js';
import { NODE_ID_PATTERN } from '../nats/nats-wire.js';
import { natsAccessFlags, natsAccessOptions } from './nats-access-flags.js';
import { STORE_KINDS, type StoreKind } from '../store/registry.js';
import type { NodeServiceFactory } from '../lattice/lattice.js';
import { recordHistoryFromEnv } from '../ops/write-history.js';
import { limitHeapGrowth } from './heap-growth.js';

export function nodeCommand(program: Command): void {
  natsAccessFlags(program.command('node')
    .description('run a node that joins a gateway over NATS (`mud serve --nats URL`), from this or another machine')
    .requiredOption('--nats <url>', 'the NATS server(s) the gateway uses, e.g. nats://10.0.0.5:4222 or a cluster: nats://10.0.0.5:4222,nats://10.0.0.6:4222,nats://10.0.0.7:4222', natsUrl)
    .option('--id <id>', 'node id, unique in the cluster (letters, digits, _ and -; default: <host>-<pid>)', nodeId)
    .addOption(new Option('--store <kind>', 'where state lives; must match the gateway (default: whatever the gateway says)').choices(STORE_KINDS))
    .addOption(new Option('--exit-with-parent', 'leave when stdin closes (nodes the gateway starts itself)').hideHelp()))
    .action(async (o: { nats: string; id?: string; store?: StoreKind; exitWithParent?: boolean } & Parameters<typeof natsAccessOptions>[0]) => {
      const id = o.id ?? defaultId();
      // Logs go to stderr; if its reader goes (a closed pipe), on into a file in the temp dir.
      const log = new Logger(new StdioLogSink(join(tmpdir(), `mud-node-${id}.log`)).write);
      let node: NatsNode;
      try {
        const link = await NatsLink.connect(o.nats, { name: `mud-node ${id}`, log, access: natsAccessOptions(o) });
        node = new NatsNode({ link, id, log, store: o.store, service: nodeService });
        await node.start().catch(async (err: unknown) => {
          await link.close();
          throw err;
        });
      } catch (err) {
        process.stderr.write(`mud node: ${(err as Error).message}\n`);
        process.exit(1);
      }
      limitHeapGrowth();
      const leave = (why: string) => void node.leave(why);
      process.once('SIGTERM', () => leave('SIGTERM'));
      process.once('SIGINT', () => leave('SIGINT'));
      if (o.exitWithParent) {
        process.stdin.on('error', () => undefined);
        process.stdin.once('close', () => leave('the gateway that started this node is gone'));
        process.stdin.resume();
      }
      const { refused } = await node.done;
      process.exit(refused ? 2 : 0);
    });
}

/** The node's runtime; its writes recorded with the epoch it acts on when $MUD_WRITE_HISTORY asks (the network lab's partition tests). */
const nodeService: NodeServiceFactory = (id, store, definition) => {
  const runtime: NodeRuntime = new NodeRuntime(id, recordHistoryFromEnv(store, id, () => runtime.fence.epoch), definition);
  return runtime;
};

/** Commander parser for `--nats` (shared with `mud serve`): one NATS address or a
 *  comma-separated list of a cluster's servers, returned tidied (`a,b,c`). */
export function natsUrl(value: string): string {
  const servers = natsServers(value);
  if (servers.length === 0) throw new InvalidArgumentError('no NATS address given (nats://HOST:PORT, or several separated by commas)');
  const seen = new Set<string>();
  for (const s of servers) {
    if (!/^(nats|tls|ws|wss):\/\/[^\s/,]+$/.test(s) && !/^[^\s/:,]+:\d+$/.test(s)) {
      throw new InvalidArgumentError(`"${s}" is not a NATS address (nats://HOST:PORT, or several separated by commas)`);
    }
    if (/^[a-z]+:\/\/[^/]*@/.test(s)) throw new InvalidArgumentError(`"${s.replace(/\/\/[^@]*@/, '//***@')}" has credentials in it: give them with --nats-user and $MUD_NATS_PASSWORD, --nats-token or --nats-creds (addresses show in logs and ps)`);
    if (seen.has(s)) throw new InvalidArgumentError(`"${s}" is listed twice in --nats`);
    seen.add(s);
  }
  return servers.join(',');
}

function nodeId(value: string): string {
  if (!NODE_ID_PATTERN.test(value)) throw new InvalidArgumentError(`"${value}" is not a node id (1-64 letters, digits, _ or -)`);
  return value;
}

/** `<host>-<pid>`: unique enough across machines without anyone choosing. */
function defaultId(): string {
  const host = hostname().split('.')[0].replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 40) || 'node';
  return `${host}-${process.pid}`;
}

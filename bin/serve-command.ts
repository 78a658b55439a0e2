import { Option, type Command } from 'commander';
import cluster from 'node:cluster';
import { join, resolve } from 'node:path';
import { startServer } from './server.js';
import { DEFAULT_GUESTS, type RunningServer, type ServerOptions } from './server-options.js';
import { tellPredecessor, Upgrader, UPGRADE_ENTRY_ENV } from './upgrade.js';
import type { GatewayIdentity } from './successor-link.js';
import { isSuccessor, takeOver } from './successor.js';
import { Logger } from '../support/logger.js';
import { StdioLogSink } from '../support/stdio-log-sink.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { port, positiveInt, seconds } from './cli-options.js';
import { storeFlagValues, storeFlags } from './store-flags.js';
import { DEFAULT_AUTO_PROMOTE } from '../ops/auto-promoter.js';
import { announceOutages, setUpNats, type NatsSetup } from './nats-setup.js';
import { natsUrl } from './node-command.js';
import { listWords, MODES, NODE_MODES } from '../modes/registry.js';
import { fileLogger, watchInTerminal } from './serve-monitor.js';
import { limitFlags, limitOptions } from './limit-flags.js';
import { natsAccessFlags, natsAccessOptions } from './nats-access-flags.js';
import { playerTls } from './player-tls-flags.js';
import type { NatsAccess } from '../nats/nats-access.js';
import { defaultGatewayId } from '../cluster/gateway-membership.js';
import { DEFAULT_STORE, SHARED_STORES, STORE_KINDS, STORE_REGISTRY, storeSpec } from '../store/registry.js';
import { GATEWAY_ID_ENV } from '../cluster/forked-wire.js';
import { parseModeSpec } from '../modes/parse-modes.js';
import { joinPrimary } from './forked-setup.js';
import { runGatewayPrimary } from './gateway-primary.js';
import { limitHeapGrowth } from './heap-growth.js';

/** "--store nats": how help and errors name the stores several gateways can share. */
const sharedStores = (): string => listWords(SHARED_STORES.map((k) => `--store ${k}`), 'or');

export function serveCommand(program: Command): void {
  natsAccessFlags(limitFlags(storeFlags(program.command('serve')
    .description('serve the game: telnet on --telnet-port, WebSocket play and web client on --http-port, the admin API on --admin-port (loopback)')
    .option('--host <host>', 'address the game listens on (telnet, web client, play)', '127.0.0.1')
    .option('--telnet-port <port>', 'telnet port (0 picks a free one)', port, 4000)
    .option('--http-port <port>', 'HTTP port: web client and ws://.../play (0 picks one)', port, 4001)
    .option('--telnet-tls-port <port>', 'also telnet over TLS on this port (needs --tls-cert and --tls-key; 0 picks one)', port)
    .option('--https-port <port>', 'also the web client and wss://.../play over TLS on this port (needs --tls-cert and --tls-key; 0 picks one)', port)
    .option('--tls-cert <file>', 'certificate (PEM, with its chain) for the TLS ports; replaced live by `mud reload --tls` or SIGHUP')
    .option('--tls-key <file>', 'key of --tls-cert (PEM)')
    .option('--admin-host <host>', 'address of the admin API: loopback unless you say otherwise, whatever --host is', '127.0.0.1')
    .option('--admin-port <port>', 'admin API port (0 picks one)', port, 4002)
    .option('--world <dir>', 'world directory', DEFAULT_WORLD)
    .option('--data-dir <dir>', 'where accounts and the world state are saved (created if missing)', './.mud-data')
    .option('--dispatch <spec>', `${MODES.join(' | ')}, or per kind/object: room=function,item=actor,default=actor (default: in-process; actor with ${sharedStores()}, where several gateways may share the table and in-process cannot)`)
    .option('--nodes <n>', `nodes for ${listWords(NODE_MODES, 'and')} modes: worker threads, or with --nats \`mud node\` processes started here (0 = none: in-process only, or with --nats every node joins from outside)`, positiveInt, 3)
    .option('--nats <url>', 'run the nodes as processes joined by NATS (nats://HOST:PORT, or a cluster\'s servers separated by commas; they need -js for --store nats)', natsUrl)
    .addOption(new Option('--store <kind>', `where state lives: ${listWords(STORE_KINDS.map((k) => `${k} (${STORE_REGISTRY[k].serveHelp})`), 'or')}`).choices(STORE_KINDS).default(DEFAULT_STORE))
    .option('--gateways <n>', 'gateway processes on this machine behind the same ports, over one file store and one set of node threads, without NATS: players spread over N cores (default: one gateway in this process)', positiveInt)
    .option('--gateway-id <id>', 'with --nats: this gateway\'s id in the cluster, unique among live gateways (default gw-<host>-<telnet port>)')
    .addOption(new Option('--function-pick <how>', 'how function mode picks a node').choices(['least-loaded', 'round-robin']).default('least-loaded'))
    .option('--no-merge', 'function mode: run again every turn whose commit loses a compare-and-swap, even one that commutes (for measuring the merge)')
    .option('--shard-capacity <n>', 'actor mode: players per room before newcomers go to a shard (0 = off)', positiveInt, 0)
    .option('--auto-promote', 'switch actors with deep mailboxes to function mode on their own, and back when cool')
    .option('--promote-mailbox <n>', 'mailbox depth that counts as deep', positiveInt, DEFAULT_AUTO_PROMOTE.mailbox)
    .option('--promote-window <s>', 'seconds deep before promotion', seconds, DEFAULT_AUTO_PROMOTE.windowMs / 1000)
    .option('--promote-cool <s>', 'seconds cool before going back to actor', seconds, DEFAULT_AUTO_PROMOTE.coolMs / 1000)
    .option('--no-read-cache', 'embedded nodes re-read every record instead of revalidating a cached one by revision')
    .option('--node-heap-mb <mb>', 'heap limit of each embedded node: a node that runs out is replaced, the server stays', positiveInt, 2048)
    .option('--guests <n>', 'guests online at once: "guest" logs in with no password (0 = no guests)', positiveInt, DEFAULT_GUESTS)
    .option('--wizard <name>', 'make this character a wizard (the first account created always is)')
    .option('--mssp-hostname <host>', 'MSSP HOSTNAME: the address players should use, for MUD listings')
    .option('--mssp-contact <email>', 'MSSP CONTACT: an address for players and listings to reach the operator')
    .option('--mssp-website <url>', 'MSSP WEBSITE')
    .option('--mssp-created <year>', 'MSSP CREATED: the year the game opened')
    .option('--admin-token <token>', 'token for the admin API (default: $MUD_ADMIN_TOKEN, or generated into <data-dir>/admin.token)')
    .option('--monitor', 'show the node monitor in this terminal (server logs then go to <data-dir>/server.log)'), 'serve')))
    .action(async (o, cmd: Command) => {
      const options: ServerOptions = {
        host: o.host, telnetPort: o.telnetPort, httpPort: o.httpPort, world: resolve(o.world), dataDir: resolve(o.dataDir), storeKind: o.store,
        dispatch: o.dispatch ?? (storeSpec(o.store).caps.shared || o.gateways !== undefined ? 'actor' : 'in-process'), nodes: o.nodes, functionPick: o.functionPick, merge: o.merge, shardCapacity: o.shardCapacity,
        autoPromote: o.autoPromote ? { mailbox: o.promoteMailbox, windowMs: o.promoteWindow * 1000, coolMs: o.promoteCool * 1000 } : false,
        guests: o.guests, wizard: o.wizard, adminToken: o.adminToken, maxNodeHeapMb: o.nodeHeapMb, readCache: o.readCache,
        adminHost: o.adminHost, adminPort: o.adminPort, ...limitOptions(o),
        listing: { hostname: o.msspHostname, contact: o.msspContact, website: o.msspWebsite, created: o.msspCreated },
      };
      // A gateway process of `--gateways N`, forked by its primary: its lines say which one it is.
      const forked = cluster.isWorker ? process.env[GATEWAY_ID_ENV] : undefined;
      // Logs go to stderr; if its reader goes (`mud serve 2>&1 | head -1`), on into <data-dir>/server.log.
      const stdio = (): ((line: string) => void) => {
        const sink = new StdioLogSink(join(options.dataDir, 'server.log')).write;
        return forked ? (line) => sink(`${line} gw=${forked}`) : sink;
      };
      options.log = o.monitor ? fileLogger(options.dataDir) : new Logger(stdio());
      const fail = (err: Error): never => {
        process.stderr.write(`mud serve${forked ? ` (${forked})` : ''}: ${err.message}\n`);
        process.exit(1);
      };
      if (o.gateways !== undefined && !forked) {
        const refusal = gatewaysRefusal(o);
        if (refusal) fail(new Error(refusal));
        const stop = await runGatewayPrimary({
          gateways: o.gateways, dataDir: options.dataDir, world: options.world, table: parseModeSpec(options.dispatch), nodes: o.nodes,
          maxNodeHeapMb: o.nodeHeapMb, readCache: o.readCache, adminToken: o.adminToken, log: options.log,
        }).catch(fail);
        limitHeapGrowth();
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void stop(signal).then(() => process.exit(0)));
        return;
      }
      try {
        options.tls = playerTls(o);
      } catch (err) {
        fail(err as Error);
      }
      if (storeSpec(o.store).caps.needsNats && !o.nats) fail(new Error(`--store ${o.store} keeps state in NATS ${storeSpec(o.store).lives}: give the server with --nats nats://HOST:PORT`));
      try {
        options.storeFlags = storeFlagValues(cmd, 'serve', o.store);
      } catch (err) {
        fail(err as Error);
      }
      let nats: NatsSetup | undefined;
      let access: NatsAccess = {};
      try {
        if (o.nats) access = natsAccessOptions(o);
      } catch (err) {
        fail(err as Error);
      }
      // Joins the cluster (a successor of `mud upgrade`: as its predecessor's instance, once that one has let go).
      const log = options.log!;
      const joinCluster = async (as?: GatewayIdentity): Promise<void> => {
        nats = await setUpNats({ url: o.nats, store: o.store, nodes: o.nodes, dataDir: options.dataDir, world: options.world, log,
          gatewayId: as?.id ?? o.gatewayId ?? defaultGatewayId(o.telnetPort), storeFlags: options.storeFlags, access, instance: as?.instance,
        });
        Object.assign(options, { store: nats.store, lattice: nats.lattice, lock: nats.lock, cluster: nats.cluster });
      };
      if (o.nats && !isSuccessor()) await joinCluster().catch(fail);
      if (forked) Object.assign(options, await joinPrimary({ id: forked, dataDir: options.dataDir, log }).catch(fail));
      let server: RunningServer;
      // Players hear of NATS outages from the lattice and sessions of now (a failed upgrade starts both anew).
      let unannounce: (() => void) | undefined;
      const announce = (): void => {
        unannounce?.();
        unannounce = nats ? announceOutages(nats.lattice, server.registry, options.log!) : undefined;
      };
      const upgrader = new Upgrader({
        options, log: options.log, current: () => server, refusal: upgradeRefusal(o, options),
        replace: (s) => {
          server = s;
          announce();
        },
        entry: process.env[UPGRADE_ENTRY_ENV] || process.argv[1]!, args: process.argv.slice(2), rejoin: o.nats ? joinCluster : undefined,
      });
      options.upgrade = (by) => upgrader.upgrade(by);
      server = isSuccessor()
        ? await takeOver(options, o.nats ? joinCluster : undefined).catch(async (err: Error) => {
          await tellPredecessor({ t: 'failed', why: err.message });
          return fail(err);
        })
        : await startServer(options).catch(fail);
      announce();
      // Once the world is loaded: a load grows the heap many times over, and at 50% a step V8 would mark it
      // again and again on the way (a million-object world's start-up).
      limitHeapGrowth();
      const stop = (signal: string) => {
        void server.close(signal).then(() => process.exit(0), (err: Error) => {
          process.stderr.write(`mud serve: shutdown failed: ${err.message}\n`);
          process.exit(1);
        });
      };
      process.once('SIGINT', () => stop('SIGINT'));
      process.once('SIGTERM', () => stop('SIGTERM'));
      // SIGHUP: the certificate files were replaced (certbot's deploy hook, say). Without TLS it changes nothing.
      process.on('SIGHUP', () => {
        if (!options.tls) return;
        try {
          server.ops.reloadTlsHere();
        } catch {
          // logged by reloadTlsHere; the pair loaded before stays
        }
      });
      if (o.monitor) void watchInTerminal(server, stop);
    });
}

/** Why `--gateways N` cannot run with the other flags given, if it cannot. */
function gatewaysRefusal(o: { gateways: number; nats?: string; store: string; monitor?: boolean; gatewayId?: string }): string | undefined {
  if (o.gateways < 1) return '--gateways needs 1 or more gateway processes';
  if (o.nats) return '--gateways runs the gateways of one machine over its own file store; --nats joins gateways over NATS: use one or the other';
  if (o.store !== 'file') return `--gateways keeps the state in the file store of --data-dir, not --store ${o.store}`;
  if (o.monitor) return '--monitor shows one process\'s monitor: with --gateways, watch it with `mud monitor`';
  if (o.gatewayId) return '--gateway-id names a gateway joined over NATS: the gateways of --gateways are gw-1 ... gw-N';
  return undefined;
}

/** Why `mud upgrade` cannot hand this server's connections over, if it cannot. */
function upgradeRefusal(o: { monitor?: boolean }, options: ServerOptions): string | undefined {
  if (process.env[GATEWAY_ID_ENV]) return 'a gateway of --gateways N is started again by its primary: restart the server (or kill this gateway\'s process) to upgrade';
  if (o.monitor) return 'this server shows the monitor in its terminal, which a successor cannot take over: start it without --monitor to upgrade in place';
  if (options.tls) return 'TLS sessions cannot be handed to another process: restart this server to upgrade it';
  return undefined;
}

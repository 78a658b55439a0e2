// `npm run cluster:lab`: the cluster as hosts on a private network (bench/cluster-lab.ts), a party
// of bots from their own namespace to show it serves, then it stays up for you to poke at
// (`ip netns exec <ns> ...`) until Ctrl-C (or --duration seconds), and removes everything it made.
import { startClusterLab } from './cluster-lab.js';
import { netnsUnavailable } from './netns-rig.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const duration = arg('--duration', 0);
const why = netnsUnavailable();
if (why) {
  process.stderr.write(`cluster:lab: ${why} (run it as root on Linux)\n`);
  process.exit(1);
}
process.stderr.write('cluster:lab: building the network and starting 3 nats-servers, 2 gateways, 4 nodes ...\n');
const started = Date.now();
const lab = await startClusterLab();
let closing = false;
const close = async (code: number) => {
  if (closing) return;
  closing = true;
  process.stderr.write('cluster:lab: stopping everything and removing the namespaces ...\n');
  await lab.close();
  process.exit(code);
};
process.once('SIGINT', () => void close(0));
process.once('SIGTERM', () => void close(0));
try {
  process.stdout.write(`up in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  for (const h of lab.rig.hosts.values()) process.stdout.write(`  ${h.name.padEnd(6)} ${h.address.padEnd(12)} ip netns exec ${h.ns} ...\n`);
  process.stdout.write(`  NATS: ${lab.urls}\n  play: ip netns exec ${lab.rig.host('bots').ns} telnet ${lab.gateways[0].address} 4000\n`);
  for (const gw of lab.gateways) {
    const out = await lab.mud('bots', ['bots', '--host', gw.address, '--telnet-port', '4000', '--count', '20', '--guest', '--duration', '3', '--rate', '2', '--json']);
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as { connected: number; sent: number; answered: number; errors: number };
    process.stdout.write(`  party on ${gw.host}: ${r.connected} bots, ${r.answered}/${r.sent} commands answered, ${r.errors} errors\n`);
  }
  if (duration > 0) setTimeout(() => void close(0), duration * 1000);
  else process.stdout.write('Ctrl-C stops it.\n');
} catch (err) {
  process.stderr.write(`cluster:lab: ${(err as Error).message}\n`);
  await close(1);
}

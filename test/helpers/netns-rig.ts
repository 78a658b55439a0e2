// The network-namespace rig for tests (bench/netns-rig.ts, bench/cluster-lab.ts): each process
// on a host of its own. Without root (or nats-server) the suite skips locally with the reason,
// and fails under CI=true (.ci/run runs as root and installs iproute2 and nats-server).
import { describe, it } from 'vitest';
import { netnsUnavailable } from '../../bench/netns-rig.js';
import { natsServerBinary } from './nats-server.js';

export { NetnsRig, netnsUnavailable, type RigHost } from '../../bench/netns-rig.js';
export { startClusterLab, type ClusterLab, type LabOptions, type LabProcess } from '../../bench/cluster-lab.js';

export function describeWithNetns(name: string, body: () => void): void {
  const reason = netnsUnavailable() ?? (natsServerBinary() ? undefined : 'nats-server is not installed (apt-get install nats-server)');
  if (!reason) {
    describe(name, body);
    return;
  }
  if (process.env.CI === 'true') {
    describe(name, () => it(`needs the namespace rig under CI: ${reason}`, () => {
      throw new Error(`${reason}; CI must run as root with iproute2 and nats-server (.ci/run)`);
    }));
  } else {
    process.stderr.write(`SKIPPED ${name}: ${reason}\n`);
    describe.skip(`${name} [skipped: ${reason}]`, body);
  }
}

// The three-server NATS cluster for tests (bench/nats-trio.ts), started with the
// nats-server binary the tests use; without one, callers skip through
// describeWithNats (nats-server.ts) locally and fail under CI=true.
import { startNatsTrio as startWith, type NatsTrio } from '../../bench/nats-trio.js';
import { natsServerBinary } from './nats-server.js';

export { kvReplication, monitor, type NatsTrio, type Replication, type TrioServer } from '../../bench/nats-trio.js';

export function startNatsTrio(): Promise<NatsTrio> {
  const bin = natsServerBinary();
  if (!bin) throw new Error('nats-server is not installed (apt-get install nats-server)');
  return startWith(bin);
}

// A network of hosts on one Linux machine: each host is a network namespace with one
// address on a private bridge, and the bridge lives in a namespace of its own (the
// "switch"), so nothing is added to the machine's own network. Addresses are
// 198.18.0.0/24 (RFC 2544's benchmarking range) inside the rig only. Link down/up and
// blackhole routes make partitions. Root only (ip netns). Everything the rig made is
// removed by `destroy()`, by the process's exit, and by the next rig if this process
// died (its namespaces are named after its pid).
import { execFileSync, spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const PREFIX = 'mudlab';
const SUBNET = '198.18.0';

export interface RigHost {
  name: string;
  /** The namespace (`ip netns exec <ns> ...`). */
  ns: string;
  address: string;
  /** The switch's end of the host's cable (down = the host is cut off). */
  port: string;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Why no rig can be built here, or undefined when one can (root, `ip netns`). */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  try {
    ip('netns', 'list');
  } catch {
    return 'the ip command (iproute2) with netns support is missing';
  }
  return undefined;
}

export class NetnsRig {
  readonly hosts = new Map<string, RigHost>();
  private readonly children = new Set<ChildProcess>();
  private destroyed = false;
  private readonly onExit = () => this.destroySync();
  readonly switchNs: string;

  private constructor(readonly id: string) {
    this.switchNs = `${PREFIX}-${id}-switch`;
  }

  /** A rig with its switch up. Removes what rigs of dead processes left first. */
  static create(): NetnsRig {
    removeStale();
    const rig = new NetnsRig(String(process.pid));
    process.once('exit', rig.onExit);
    try {
      ip('netns', 'add', rig.switchNs);
      rig.inSwitch('link', 'add', 'br0', 'type', 'bridge');
      rig.inSwitch('link', 'set', 'br0', 'up');
    } catch (err) {
      rig.destroySync();
      throw err;
    }
    return rig;
  }

  /** Adds host `name` (letters, digits), with the next address on the bridge. */
  addHost(name: string): RigHost {
    if (!/^[a-z0-9]{1,12}$/.test(name)) throw new Error(`rig host name "${name}": 1-12 lowercase letters or digits`);
    const n = this.hosts.size + 1;
    if (n > 250) throw new Error('a rig holds at most 250 hosts');
    const host: RigHost = { name, ns: `${PREFIX}-${this.id}-${name}`, address: `${SUBNET}.${n}`, port: `p${n}` };
    ip('netns', 'add', host.ns);
    const cable = `c${this.id.slice(-6)}x${n}`; // unique on the machine while it is being moved: at most 15 characters
    ip('link', 'add', cable, 'netns', host.ns, 'type', 'veth', 'peer', 'name', host.port, 'netns', this.switchNs);
    this.inHost(host, 'link', 'set', cable, 'name', 'eth0');
    this.inHost(host, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
    this.inHost(host, 'link', 'set', 'eth0', 'up');
    this.inHost(host, 'link', 'set', 'lo', 'up');
    this.inSwitch('link', 'set', host.port, 'master', 'br0');
    this.inSwitch('link', 'set', host.port, 'up');
    this.hosts.set(name, host);
    return host;
  }

  host(name: string): RigHost {
    const h = this.hosts.get(name);
    if (!h) throw new Error(`no rig host ${name}`);
    return h;
  }

  /** Runs `command` inside host `name`'s namespace; stopped by `destroy()` if still running. */
  spawn(name: string, command: string, args: string[], opts: SpawnOptions = {}): ChildProcess {
    const child = spawn('ip', ['netns', 'exec', this.host(name).ns, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
    this.children.add(child);
    child.once('exit', () => this.children.delete(child));
    return child;
  }

  /** Pulls host `name`'s cable: it reaches no one and no one reaches it; both sides keep running. */
  cut(name: string): void {
    this.inSwitch('link', 'set', this.host(name).port, 'down');
  }

  heal(name: string): void {
    this.inSwitch('link', 'set', this.host(name).port, 'up');
  }

  /** Host `from` can no longer send to `to` (a blackhole route); `to` still reaches others. */
  block(from: string, to: string): void {
    this.inHost(this.host(from), 'route', 'add', 'blackhole', `${this.host(to).address}/32`);
  }

  unblock(from: string, to: string): void {
    this.inHost(this.host(from), 'route', 'del', 'blackhole', `${this.host(to).address}/32`);
  }

  /** Cuts host `name` off from each of `others`, both ways (blackhole routes on either side):
   *  it still reaches, and is reached by, every other host. */
  separate(name: string, others: string[]): void {
    for (const o of others) {
      this.block(name, o);
      this.block(o, name);
    }
  }

  /** Undoes `separate`. */
  reunite(name: string, others: string[]): void {
    for (const o of others) {
      this.unblock(name, o);
      this.unblock(o, name);
    }
  }

  /** Stops every process it started (SIGTERM, then SIGKILL after `graceMs`) and removes every namespace. */
  async destroy(graceMs = 5_000): Promise<void> {
    const running = [...this.children].filter((c) => c.exitCode === null && c.signalCode === null);
    await Promise.all(running.map((c) => new Promise<void>((resolve) => {
      const timer = setTimeout(() => c.kill('SIGKILL'), graceMs);
      c.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      c.kill('SIGTERM');
    })));
    this.destroySync();
  }

  private destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    process.off('exit', this.onExit);
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    for (const ns of [...[...this.hosts.values()].map((h) => h.ns), this.switchNs]) removeNamespace(ns);
  }

  private inSwitch(...args: string[]): string {
    return ip('-n', this.switchNs, ...args);
  }

  private inHost(host: RigHost, ...args: string[]): string {
    return ip('-n', host.ns, ...args);
  }
}

/** Kills what still runs in a namespace of ours (processes a rig started), then removes it. */
function removeNamespace(ns: string): void {
  try {
    for (const pid of ip('netns', 'pids', ns).split('\n').map(Number).filter((p) => p > 0)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    ip('netns', 'del', ns);
  } catch {
    // removed already
  }
}

/** Namespaces of rigs whose process is gone (killed, crashed): theirs to remove, and nobody else's. */
function removeStale(): void {
  let list = '';
  try {
    list = ip('netns', 'list');
  } catch {
    return;
  }
  for (const line of list.split('\n')) {
    const m = new RegExp(`^(${PREFIX}-(\\d+)-[a-z0-9]+)`).exec(line);
    if (!m || Number(m[2]) === process.pid) continue;
    let alive = true;
    try {
      process.kill(Number(m[2]), 0);
    } catch {
      alive = false;
    }
    if (!alive) removeNamespace(m[1]);
  }
}

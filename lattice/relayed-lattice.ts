import type { Lattice, MembershipEvent, NodeReply, NodeRequest } from './lattice.js';

/** What a gateway process asks of the process that holds the nodes. */
export type RelayedNodeCall =
  | { t: 'node'; node: string; req: NodeRequest; timeoutMs: number }
  | { t: 'nodes'; op: 'add' }
  | { t: 'nodes'; op: 'remove'; node: string; how: 'stop' | 'kill' };

/** The embedded lattice of node threads as a gateway process sees it when another process holds it
 *  (`mud serve --gateways N`: the primary): every request goes there and is handed to the node's
 *  port; joins and leaves are told by the holder (`heard`). No `localStore`: the store is not in this
 *  process, so function mode's nodes read and CAS it themselves, where it is. Closing it closes
 *  nothing of the nodes: the other gateways use them. */
export class RelayedLattice implements Lattice {
  readonly kind = 'embedded' as const;
  private readonly live: Set<string>;
  private readonly listeners = new Set<(e: MembershipEvent) => void>();

  constructor(private readonly call: (m: RelayedNodeCall, timeoutMs: number) => Promise<unknown>, nodes: readonly string[]) {
    this.live = new Set(nodes);
  }

  /** A node joined or left, as the holder of the nodes says. */
  heard(e: MembershipEvent): void {
    if (e.type === 'joined') this.live.add(e.node);
    else this.live.delete(e.node);
    for (const l of this.listeners) l(e);
  }

  nodes(): string[] {
    return [...this.live].sort();
  }

  onMembership(listener: (e: MembershipEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async request(node: string, req: NodeRequest, timeoutMs = 0): Promise<NodeReply> {
    // The holder times the node out; this side waits a little longer for that word.
    return (await this.call({ t: 'node', node, req, timeoutMs }, timeoutMs > 0 ? timeoutMs + 1_000 : 0)) as NodeReply;
  }

  async addNode(): Promise<string> {
    return (await this.call({ t: 'nodes', op: 'add' }, 0)) as string;
  }

  async removeNode(node: string, how: 'stop' | 'kill'): Promise<void> {
    await this.call({ t: 'nodes', op: 'remove', node, how }, 0);
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

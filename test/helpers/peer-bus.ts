// Gateways' switch messages between engines in one test process: the same
// SwitchPeers contract NATS carries between processes, with a switch to cut a
// gateway off (it hears no prepare and no decision, as if partitioned).
import type { SwitchDecision, SwitchPeerHandlers, SwitchPeers, SwitchProposal } from '../../cluster/switch-peers.js';

export class PeerBus {
  private readonly members = new Map<string, SwitchPeerHandlers>();
  /** Gateways cut off from the others. */
  readonly cut = new Set<string>();

  peer(self: string): SwitchPeers {
    const bus = this;
    return {
      others: () => [...bus.members.keys()].filter((g) => g !== self),
      async prepare(gateway: string, p: SwitchProposal, timeoutMs: number): Promise<'prepared' | 'silent'> {
        const h = bus.members.get(gateway);
        let timer: NodeJS.Timeout | undefined;
        const silence = new Promise<'silent'>((r) => (timer = setTimeout(() => r('silent'), timeoutMs)));
        if (!h || bus.cut.has(gateway) || bus.cut.has(self)) return silence;
        try {
          return await Promise.race([h.prepare(p).then(() => 'prepared' as const), silence]);
        } finally {
          clearTimeout(timer);
        }
      },
      decide(d: SwitchDecision): void {
        if (bus.cut.has(self)) return;
        for (const [g, h] of bus.members) if (g !== self && !bus.cut.has(g)) queueMicrotask(() => h.decided(d));
      },
      serve(handlers: SwitchPeerHandlers): void {
        bus.members.set(self, handlers);
      },
      close(): void {
        bus.members.delete(self);
      },
    };
  }
}

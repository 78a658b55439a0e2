import type { GatewayRequests } from './gateway-bus.js';
import type { Gateways } from './gateways.js';
import { checkProposal, isDecision, type SwitchDecision, type SwitchPeerHandlers, type SwitchPeers, type SwitchProposal } from './switch-peers.js';

/** The live switch's messages over a gateway bus's requests (`mud serve --gateways N`): a prepare is
 *  an ask of the gateway's `prepare` (answered once drained), the decision is told to every other
 *  live gateway. `silent(err)` says which failures of an ask are silence (no such gateway, no answer
 *  in time) rather than a refusal. */
export class RequestSwitchPeers implements SwitchPeers {
  private readonly unheard: Array<() => void> = [];

  constructor(private readonly requests: GatewayRequests, private readonly gateways: Gateways, private readonly silent: (err: unknown) => boolean) {}

  others(): string[] {
    return this.gateways.others().map((g) => g.id);
  }

  async prepare(gateway: string, p: SwitchProposal, timeoutMs: number): Promise<'prepared' | 'silent'> {
    try {
      await this.requests.ask(gateway, 'prepare', p, timeoutMs);
      return 'prepared';
    } catch (err) {
      if (this.silent(err)) return 'silent';
      throw err;
    }
  }

  decide(d: SwitchDecision): void {
    for (const id of this.others()) this.requests.tell(id, 'decided', d);
  }

  serve(handlers: SwitchPeerHandlers): void {
    this.requests.serve('prepare', (body) => handlers.prepare(checkProposal(body)).then(() => ({ prepared: this.gateways.id })));
    this.unheard.push(this.requests.hear('decided', (d) => {
      if (isDecision(d)) handlers.decided(d);
    }));
  }

  close(): void {
    for (const u of this.unheard.splice(0)) u();
  }
}

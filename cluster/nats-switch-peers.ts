import type { Subscription } from '@nats-io/transport-node';
import { GATEWAY_SUBJECTS } from './gateway-membership.js';
import type { Gateways } from './gateways.js';
import { checkProposal, isDecision, type SwitchDecision, type SwitchPeerHandlers, type SwitchPeers, type SwitchProposal } from './switch-peers.js';
import type { Logger } from '../support/logger.js';
import { type NatsLink } from '../nats/nats-connection.js';
import { isNoResponders, isTimeout } from '../nats/nats-errors.js';
import { answer, decode, encode, unwrap } from '../nats/nats-wire.js';

const DECISIONS = 'mud.gw.switch.decided';

/** Switch messages between gateways over NATS: a prepare is a request to the
 *  gateway's own `mud.gw.<id>.prepare` (answered when drained), the decision is
 *  one publish every gateway hears. */
export class NatsSwitchPeers implements SwitchPeers {
  private readonly subs: Subscription[] = [];

  constructor(private readonly link: NatsLink, private readonly gateways: Gateways, private readonly log: Logger) {}

  others(): string[] {
    return this.gateways.others().map((g) => g.id);
  }

  async prepare(gateway: string, p: SwitchProposal, timeoutMs: number): Promise<'prepared' | 'silent'> {
    const subject = GATEWAY_SUBJECTS.own(gateway, 'prepare');
    let msg;
    try {
      msg = await this.link.connection.request(subject, encode(p), { timeout: timeoutMs });
    } catch (err) {
      if (isTimeout(err) || isNoResponders(err) || !this.link.isUp) return 'silent';
      throw err;
    }
    unwrap(msg, `gateway ${gateway}`);
    return 'prepared';
  }

  decide(d: SwitchDecision): void {
    if (this.link.isUp) this.link.connection.publish(DECISIONS, encode(d));
  }

  serve(handlers: SwitchPeerHandlers): void {
    const nc = this.link.connection;
    this.subs.push(nc.subscribe(GATEWAY_SUBJECTS.own(this.gateways.id, 'prepare'), {
      callback: (err, m) => {
        if (err) return;
        void answer(m, () => {
          const p = checkProposal(decode<unknown>(m.data));
          return handlers.prepare(p).then(() => ({ prepared: this.gateways.id }));
        });
      },
    }));
    this.subs.push(nc.subscribe(DECISIONS, {
      callback: (err, m) => {
        if (err) return;
        try {
          const d = decode<unknown>(m.data);
          if (isDecision(d)) handlers.decided(d);
        } catch (e) {
          this.log.warn('switch decision unreadable', { why: (e as Error).message });
        }
      },
    }));
  }

  close(): void {
    for (const s of this.subs) s.unsubscribe();
  }
}

import type { Subscription } from '@nats-io/transport-node';
import type { GatewayMembership } from './gateway-membership.js';
import { GATEWAY_SUBJECTS } from './gateway-membership.js';
import type { ModeSnapshot } from '../lattice/lattice.js';
import type { Logger } from '../support/logger.js';
import { isNoResponders, isTimeout, type NatsLink } from '../nats/nats-connection.js';
import { answer, decode, encode, unwrap } from '../nats/nats-wire.js';

/** A gateway asks the others to get ready for a switch (`modes`) or a world reload; before a
 *  reload, to `load` their world files (outside any hold: loading takes a while). */
export interface SwitchProposal {
  id: string;
  kind: 'modes' | 'reload' | 'load';
  /** The epoch the switch will commit (a reload keeps the current one). */
  epoch: number;
  from: string;
}

/** The initiator's word after the commit point (or instead of it). */
export interface SwitchDecision {
  id: string;
  outcome: 'commit' | 'abort';
  epoch: number;
  /** The committed table and shard capacity (`modes` commits). */
  table?: ModeSnapshot;
  shardCapacity?: number;
}

export interface SwitchPeerHandlers {
  /** Resolves once this gateway holds new turns and has drained its own; rejects with a one-line reason to refuse. */
  prepare(p: SwitchProposal): Promise<void>;
  decided(d: SwitchDecision): void;
}

/** The gateways a switch talks to, naming no transport. */
export interface SwitchPeers {
  /** Other live gateways' ids. */
  others(): string[];
  /** 'prepared' once the gateway is drained and holding; 'silent' when it did not answer in time
   *  (dead, paused, cut off: the switch goes on without it); rejects when it refused, with its reason. */
  prepare(gateway: string, p: SwitchProposal, timeoutMs: number): Promise<'prepared' | 'silent'>;
  decide(d: SwitchDecision): void;
  serve(handlers: SwitchPeerHandlers): void;
  close(): void;
}

const DECISIONS = 'mud.gw.switch.decided';

/** Switch messages between gateways over NATS: a prepare is a request to the
 *  gateway's own `mud.gw.<id>.prepare` (answered when drained), the decision is
 *  one publish every gateway hears. */
export class NatsSwitchPeers implements SwitchPeers {
  private readonly subs: Subscription[] = [];

  constructor(private readonly link: NatsLink, private readonly gateways: GatewayMembership, private readonly log: Logger) {}

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
          const p = decode<SwitchProposal>(m.data);
          if (!p || typeof p.id !== 'string' || !['modes', 'reload', 'load'].includes(p.kind) || typeof p.epoch !== 'number') throw new Error('malformed switch proposal');
          return handlers.prepare(p).then(() => ({ prepared: this.gateways.id }));
        });
      },
    }));
    this.subs.push(nc.subscribe(DECISIONS, {
      callback: (err, m) => {
        if (err) return;
        try {
          const d = decode<SwitchDecision>(m.data);
          if (d && typeof d.id === 'string' && typeof d.epoch === 'number') handlers.decided(d);
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

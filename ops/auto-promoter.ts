import type { Logger } from '../support/logger.js';
import type { Ref } from '../world/core/types.js';
import type { ActorDispatcher } from '../modes/actor/actor.js';
import type { Engine } from '../dispatch/engine.js';
import { modeOf, type ModeTable } from '../dispatch/mode-table.js';
import type { Status } from './status.js';

export interface AutoPromoteOptions {
  /** Mailbox depth that counts as "deep". */
  mailbox: number;
  /** How long it must stay deep before the object becomes a function. */
  windowMs: number;
  /** How long it must stay cool (rate under a quarter of its rate when promoted) before going back. */
  coolMs: number;
}

export const DEFAULT_AUTO_PROMOTE: AutoPromoteOptions = { mailbox: 32, windowMs: 3000, coolMs: 15_000 };

interface Promoted {
  since: number;
  rate: number;
  coolSince?: number;
  /** The object's own override before promotion, restored on the way back. */
  before?: string;
}

/** Hot-object promotion: an actor whose mailbox stays deep is switched, on its
 *  own, to function mode (any node runs it), and back once it has cooled. The
 *  thresholds differ on the way up and down (hysteresis) so it does not flap. */
export class AutoPromoter {
  private readonly deepSince = new Map<Ref, number>();
  private readonly promoted = new Map<Ref, Promoted>();
  private busy = false;

  constructor(private readonly engine: Engine, private readonly actor: ActorDispatcher, private readonly log: Logger, private readonly opts: AutoPromoteOptions) {}

  async observe(s: Status): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.promote(s);
      await this.demote(s);
    } finally {
      this.busy = false;
    }
  }

  private async promote(s: Status): Promise<void> {
    const deep = new Set<Ref>();
    for (const d of this.actor.deepest(5)) {
      if (d.depth < this.opts.mailbox || modeOf(this.engine.modes, d.ref) !== 'actor') continue;
      deep.add(d.ref);
      const since = this.deepSince.get(d.ref) ?? s.time;
      this.deepSince.set(d.ref, since);
      if (s.time - since < this.opts.windowMs) continue;
      const rate = s.hot.find((h) => h.ref === d.ref)?.turnsPerSec ?? 0;
      const before = this.engine.modes.objects[d.ref];
      await this.move(d.ref, 'function');
      this.promoted.set(d.ref, { since: s.time, rate, before });
      this.log.info('auto-promoted', { ref: d.ref, to: 'function', mailbox: d.depth, deepForMs: s.time - since, turnsPerSec: Math.round(rate) });
    }
    for (const ref of this.deepSince.keys()) if (!deep.has(ref)) this.deepSince.delete(ref);
  }

  private async demote(s: Status): Promise<void> {
    for (const [ref, p] of this.promoted) {
      if (modeOf(this.engine.modes, ref) !== 'function') {
        this.promoted.delete(ref); // someone switched it by hand: it is theirs now
        continue;
      }
      const rate = s.hot.find((h) => h.ref === ref)?.turnsPerSec ?? 0;
      if (rate >= p.rate / 4) {
        p.coolSince = undefined;
        continue;
      }
      p.coolSince ??= s.time;
      if (s.time - p.coolSince < this.opts.coolMs) continue;
      await this.move(ref, p.before ?? 'default');
      this.promoted.delete(ref);
      this.log.info('auto-demoted', { ref, to: modeOf(this.engine.modes, ref), turnsPerSec: Math.round(rate), promotedRate: Math.round(p.rate), coolForMs: s.time - p.coolSince });
    }
  }

  private async move(ref: Ref, mode: string): Promise<void> {
    await this.engine.switchTo((t) => {
      const objects = { ...t.objects };
      if (mode === 'default') delete objects[ref];
      else objects[ref] = mode as ModeTable['default'];
      return { default: t.default, kinds: { ...t.kinds }, objects };
    });
  }
}

import type { Effect, Msg, Ref, TurnConfig, WorldView } from '../../world/core/types.js';
import type { ModeMessage } from '../../lattice/lattice.js';
import type { FunctionReply, FunctionRequest } from './function-requests.js';
import type { NodeMeter } from '../../lattice/node-stats.js';
import { StatelessTurns } from './stateless-turns.js';
import { ShippedTurns } from './shipped-turns.js';
import type { NodeContext, NodeHalf } from '../node-half.js';

/** Function mode on a node: turns on state read from the store and committed with
 *  compare-and-swap (`turn`, `turns`), or shipped with their record by the gateway (`compute`). */
export class FunctionNode implements NodeHalf {
  private readonly functions: StatelessTurns;
  private readonly shipped: ShippedTurns;
  private readonly meter: NodeMeter;

  constructor(ctx: NodeContext) {
    this.meter = ctx.meter;
    this.functions = new StatelessTurns(ctx.store, ctx.world);
    this.shipped = new ShippedTurns(this.functions, ctx.keepRecords);
  }

  async turn(ref: Ref, msg: Msg, config: TurnConfig): Promise<{ effects: Effect[]; conflicts: number }> {
    const started = performance.now();
    const r = await this.functions.run(ref, msg, config);
    this.meter.turn((performance.now() - started) * 1000);
    this.meter.conflicts += r.conflicts;
    return { effects: r.effects, conflicts: r.conflicts };
  }

  /** `turns` or `compute` (the node's runtime passes only the types FUNCTION_MODE declares). */
  request(body: ModeMessage): Promise<FunctionReply> {
    const req = body as FunctionRequest;
    if (req.t === 'turns') return this.batch(req.ref, req.msgs, req.config);
    const started = performance.now();
    const reply = this.shipped.compute(req);
    if (reply.t === 'computed') this.count(started, req.msgs.length);
    return Promise.resolve(reply);
  }

  private async batch(ref: Ref, msgs: Msg[], config: TurnConfig): Promise<FunctionReply> {
    const started = performance.now();
    const r = await this.functions.runBatch(ref, msgs, config);
    this.count(started, msgs.length);
    this.meter.conflicts += r.conflicts;
    return { t: 'batch', results: r.results, conflicts: r.conflicts };
  }

  /** `n` turns that took the time since `started` together. */
  private count(started: number, n: number): void {
    const micros = ((performance.now() - started) * 1000) / n;
    for (let i = 0; i < n; i++) this.meter.turn(micros);
  }

  setWorld(world: WorldView): void {
    this.functions.setWorld(world);
  }

  stats(): { writes: number } {
    return { writes: this.shipped.writes };
  }
}

import type { Effect, Msg, Ref, TurnConfig } from '../../world/core/types.js';
import { HomedObjects } from '../actor/homed-objects.js';
import type { StateStore } from '../../store/state-store.js';
import type { Dispatcher, LoadedWorld } from '../../dispatch/dispatcher.js';
import type { TurnMeter } from '../../dispatch/turn-meter.js';
import { modeOf, type ModeTable } from '../../dispatch/mode-table.js';

/** The monolith: every turn on the gateway's own event loop, state in a local
 *  map, written through to the store before effects are released. */
export class InProcessDispatcher implements Dispatcher {
  readonly mode = 'in-process' as const;
  /** The engine stamps no word on messages to these homes (dispatch/engine.ts), and the homes hold no outbox
   *  entry past its acknowledged write (HomedObjects' `answersHere`): one fact, said once. */
  readonly answersInProcess = true;
  private readonly objects: HomedObjects;

  /** `clientData`: whether turns build out-of-band data (TurnConfig.clientData). */
  constructor(store: StateStore, world: LoadedWorld, meter: TurnMeter, clientData: () => boolean = () => true) {
    const building: TurnConfig = { shardCapacity: 0 };
    const dataless: TurnConfig = { shardCapacity: 0, clientData: false };
    this.objects = new HomedObjects(store, world, () => (clientData() ? building : dataless), (ref, micros) => meter.turn('gateway', ref, micros), true, this.answersInProcess);
  }

  run(ref: Ref, msg: Msg): Promise<Effect[]> {
    return this.objects.run(ref, msg);
  }

  release(next: ModeTable): Promise<void> {
    return this.objects.release((ref) => modeOf(next, ref) !== 'in-process');
  }

  home(): string {
    return 'gateway';
  }

  async setWorld(world: LoadedWorld): Promise<void> {
    this.objects.setWorld(world);
  }

  /** Frees memory of objects nobody touched for a while. */
  passivateIdle(idleMs: number): number {
    return this.objects.passivateIdle(idleMs);
  }

  stats() {
    return this.objects.stats();
  }

  async close(): Promise<void> {
    await this.objects.release(() => true);
  }
}

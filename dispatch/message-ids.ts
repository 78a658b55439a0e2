import { randomBytes } from 'node:crypto';

/** Mints the ids of players' commands. Message ids are `<boot>-<n>`: with several gateways, two started in the
 *  same millisecond must still mint different ids (receivers drop an id they applied), hence the random part. */
export class MessageIds {
  /** This engine's boot: new at each start (also the `by` of its deliveries, dispatch/deliveries.ts). */
  readonly boot = `${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  private counter = 0;

  next(): string {
    return `${this.boot}-${(this.counter++).toString(36)}`;
  }
}

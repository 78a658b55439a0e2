/** A turn a dispatcher hands back before it started (at a live switch: `Dispatcher.yieldQueued`): the
 *  engine routes it again, to whichever dispatcher its object's mode names after the switch. */
export class RerouteError extends Error {
  override readonly name = 'RerouteError';
}

import type { ModeSpec } from '../mode-spec.js';
import { InProcessDispatcher } from './in-process.js';

/** The monolith: every turn on the gateway's own event loop. */
export const IN_PROCESS_MODE: ModeSpec<InProcessDispatcher> = {
  runsAs: 'in-process',
  monitorHelp: 'in-process (one core)',
  needsNodes: false,
  onGateway: true,
  build: (c) => new InProcessDispatcher(c.store, c.world, c.meter, c.clientData),
};

import type { ModeSpec } from '../mode-spec.js';
import { FunctionDispatcher } from './function.js';
import { FunctionNode } from './function-node.js';
import { FUNCTION_REQUESTS } from './function-requests.js';

/** Stateless functions: any node runs a turn on state read from the store, committed with compare-and-swap. */
export const FUNCTION_MODE: ModeSpec<FunctionDispatcher> = {
  runsAs: 'as stateless functions',
  monitorHelp: 'as functions',
  needsNodes: true,
  onGateway: false,
  build: (c) => new FunctionDispatcher(c.pool, c.meter, c.functionPick, c.clientData, c.merge),
  node: (c) => new FunctionNode(c),
  requests: FUNCTION_REQUESTS,
};

import type { ModeSpec } from '../mode-spec.js';
import { ActorDispatcher } from './actor.js';
import { ActorNode } from './actor-node.js';

/** Homed actors: each object lives on one node and runs its turns there. */
export const ACTOR_MODE: ModeSpec<ActorDispatcher> = {
  runsAs: 'as homed actors',
  monitorHelp: 'as actors (homed)',
  needsNodes: true,
  onGateway: false,
  build: (c) => new ActorDispatcher(c.pool, c.meter, { shardCapacity: c.shardCapacity, clientData: c.clientData }),
  node: (c) => new ActorNode(c),
};

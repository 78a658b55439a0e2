import { RendezvousPlacement } from '../lattice/placement.js';

/** Who owns what among the live gateways: rendezvous hashing over their ids, as actors are homed
 *  on nodes, so every gateway computes the same owner with nothing to agree on. */
export class GatewayOwners {
  private readonly placement = new RendezvousPlacement();

  constructor(ids: readonly string[]) {
    this.placement.setNodes(ids);
  }

  /** The live gateways' ids, this one included. */
  setIds(ids: readonly string[]): void {
    this.placement.setNodes(ids);
  }

  /** Live gateways' ids, sorted. */
  ids(): string[] {
    return this.placement.members.slice();
  }

  owner(key: string): string {
    return this.placement.home(key)!;
  }
}

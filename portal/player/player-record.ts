import type { StateStore } from '../../store/state-store.js';
import type { Json } from '../../world/core/types.js';

/** A small per-player record in the store (`<prefix>/<name>`: settings, aliases): it follows the player
 *  to any client and across restarts. What comes back is only ever a plain object: each reader keeps
 *  the entries it knows, so an old or hand-edited record cannot break the session. */
export class PlayerRecord<T extends object> {
  constructor(
    private readonly store: StateStore,
    private readonly prefix: string,
    private readonly sanitize: (found: Record<string, unknown>) => T,
  ) {}

  async load(name: string): Promise<T> {
    const found = (await this.store.get(this.key(name)))?.value;
    const plain = found && typeof found === 'object' && !Array.isArray(found) ? (found as Record<string, unknown>) : {};
    return this.sanitize(plain);
  }

  async save(name: string, value: T): Promise<void> {
    await this.store.put(this.key(name), { ...value } as unknown as Json);
  }

  private key(name: string): string {
    return `${this.prefix}/${name.toLowerCase()}`;
  }
}

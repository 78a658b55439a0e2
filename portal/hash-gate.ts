import { RateLimit } from './rate-limit.js';
import type { KdfParams, PasswordHasher } from './password-hasher.js';
import { LOOPBACK } from './connection-gate.js';

/** How much password hashing one sender may ask of the server. */
export interface HashLimits {
  /** Hashes one address may have waiting or running at once. */
  perAddressAtOnce: number;
  /** Hashes one address may start per second (a burst of 10x). */
  perAddressPerSecond: number;
  /** New characters one address may create per hour (all at once, then spread out). */
  createsPerAddressPerHour: number;
  /** A hash is refused when the ones ahead of it would take longer than this. */
  maxWaitMs: number;
  /** Loopback (bots, a local proxy) skips the per-address limits, as at the door (portal/connection-gate.ts). */
  exemptLoopback: boolean;
}

export const DEFAULT_HASH_LIMITS: HashLimits = {
  perAddressAtOnce: 2, perAddressPerSecond: 1, createsPerAddressPerHour: 10, maxWaitMs: 20_000, exemptLoopback: true,
};

/** Who asks for a hash: the account it is for, the peer's address, and whether it makes a new character. */
export interface HashAsker {
  account: string;
  address: string;
  creating?: boolean;
}

/** A hash the sender may not have now: the message says why, for the player. Nothing was hashed. */
export class HashRefused extends Error {
  override readonly name = 'HashRefused';
}

interface PerAddress { atOnce: number; starts: RateLimit; creates: RateLimit; last: number }

/** Admits or refuses each password hash before it is done (issue 25, item 2):
 *  per account one at a time, per address a few at once and a rate (new
 *  characters a rate of their own), and in total only as many as the hashing
 *  thread gets through in `maxWaitMs`. A hash costs the server ~10^4 times a
 *  line, so it is the sender's budget that pays, not the other players' logins. */
export class HashGate {
  private readonly addresses = new Map<string, PerAddress>();
  private readonly accounts = new Set<string>();

  constructor(private readonly hasher: PasswordHasher, private readonly limits: HashLimits = DEFAULT_HASH_LIMITS) {}

  /** The hash, or HashRefused (nothing hashed) when the asker is over a limit. */
  async hash(who: HashAsker, password: string, salt: Buffer, params: KdfParams, keyLength: number): Promise<Buffer> {
    const account = who.account.toLowerCase();
    const address = this.limits.exemptLoopback && LOOPBACK.test(who.address) ? undefined : who.address;
    const from = address === undefined ? undefined : this.perAddress(address);
    const why = this.accounts.has(account) ? "That character's password is being checked already; wait for the answer."
      : from && from.atOnce >= this.limits.perAddressAtOnce ? 'Passwords from your address are being checked; wait for the answer.'
        : this.hasher.backlogMs > this.limits.maxWaitMs ? 'The server is busy checking passwords; try again in a few seconds.'
          : from && !from.starts.take() ? 'Too many password checks from your address; wait a few seconds.'
            : from && who.creating && !from.creates.take() ? 'Too many new characters from your address; try again later.'
              : undefined;
    if (why) throw new HashRefused(why);
    this.accounts.add(account);
    if (from) from.atOnce++;
    try {
      return await this.hasher.hash(password, salt, params, keyLength);
    } finally {
      this.accounts.delete(account);
      if (from) from.atOnce--;
    }
  }

  private perAddress(address: string): PerAddress {
    const now = Date.now();
    let a = this.addresses.get(address);
    if (!a) {
      if (this.addresses.size > 10_000) this.prune(now);
      const perHour = this.limits.createsPerAddressPerHour;
      a = {
        atOnce: 0, last: now,
        starts: new RateLimit(this.limits.perAddressPerSecond, this.limits.perAddressPerSecond * 10),
        creates: new RateLimit(perHour / 3600, perHour),
      };
      this.addresses.set(address, a);
    }
    a.last = now;
    return a;
  }

  /** Addresses quiet for an hour are forgotten (their buckets are full again by then). */
  private prune(now: number): void {
    for (const [address, a] of this.addresses) if (a.atOnce === 0 && now - a.last > 3_600_000) this.addresses.delete(address);
  }
}

import type { Logger } from '../../support/logger.js';
import { OldestFirstMap } from '../../support/oldest-first-map.js';
import type { RefusalCounts } from '../refusal-counts.js';

/** How failed logins are slowed down, per account and per address. */
export interface LoginThrottleLimits {
  /** Failures allowed without delay; after them each attempt waits 2^(n - free) s. */
  freePerAccount: number;
  freePerAddress: number;
  /** Failures that lock the account (or address) out for `lockoutMs`. */
  lockAccountAfter: number;
  lockAddressAfter: number;
  lockoutMs: number;
}

export const DEFAULT_LOGIN_THROTTLE: LoginThrottleLimits = {
  freePerAccount: 3, freePerAddress: 10, lockAccountAfter: 10, lockAddressAfter: 30, lockoutMs: 15 * 60_000,
};

const MAX_DELAY_MS = 60_000;
/** Entries kept at most: an attacker inventing names cannot grow this without bound. */
const MAX_ENTRIES = 100_000;

interface Failures { count: number; last: number; notBefore: number }

/** Failed logins make the next attempt wait (a growing delay), then lock the
 *  account or the address out for a while. A refused attempt costs no password
 *  hash and changes no counter; every failure and every lockout is one log line. */
export class LoginThrottle {
  private readonly entries = new OldestFirstMap<string, Failures>();

  /** Counts its refusals (portal/metrics.ts), when set. */
  refusals: RefusalCounts | undefined;

  constructor(private readonly log: Logger, private readonly limits: LoginThrottleLimits = DEFAULT_LOGIN_THROTTLE, private readonly now = () => Date.now()) {}

  /** Why this attempt is refused now, or undefined when it may go ahead. */
  refusal(name: string, address: string): string | undefined {
    const why = this.reason(name, address);
    if (why) this.refusals?.refused('login-throttle');
    return why;
  }

  private reason(name: string, address: string): string | undefined {
    const now = this.now();
    const account = this.current(`account:${name.toLowerCase()}`, now);
    if (account && account.notBefore > now) return waitMessage('that character', account, now, this.limits.lockAccountAfter);
    const from = this.current(`address:${address}`, now);
    if (from && from.notBefore > now) return waitMessage('your address', from, now, this.limits.lockAddressAfter);
    return undefined;
  }

  failed(name: string, address: string): void {
    const account = this.count(`account:${name.toLowerCase()}`, this.limits.freePerAccount, this.limits.lockAccountAfter);
    const from = this.count(`address:${address}`, this.limits.freePerAddress, this.limits.lockAddressAfter);
    this.log.warn('login failed', { account: name.toLowerCase(), from: address, failures: account.count, fromAddress: from.count });
    if (account.count === this.limits.lockAccountAfter) this.log.warn('login locked', { account: name.toLowerCase(), minutes: this.limits.lockoutMs / 60_000, by: address });
    if (from.count === this.limits.lockAddressAfter) this.log.warn('login locked', { address, minutes: this.limits.lockoutMs / 60_000 });
  }

  succeeded(name: string): void {
    this.entries.delete(`account:${name.toLowerCase()}`);
  }

  private current(key: string, now: number): Failures | undefined {
    const f = this.entries.get(key);
    if (f && now - f.last > this.limits.lockoutMs && f.notBefore <= now) {
      this.entries.delete(key); // forgotten after a quiet lockout period
      return undefined;
    }
    return f;
  }

  private count(key: string, free: number, lockAfter: number): Failures {
    const now = this.now();
    const f = this.current(key, now) ?? { count: 0, last: now, notBefore: 0 };
    f.count++;
    f.last = now;
    if (f.count >= lockAfter) f.notBefore = now + this.limits.lockoutMs;
    else if (f.count >= free) f.notBefore = now + Math.min(MAX_DELAY_MS, 1000 * 2 ** (f.count - free));
    this.entries.set(key, f); // set again, it is the newest: the order is oldest failure first
    this.entries.dropOldestWhile(() => this.entries.size > MAX_ENTRIES);
    return f;
  }
}

function waitMessage(who: string, f: Failures, now: number, lockAfter: number): string {
  const s = Math.ceil((f.notBefore - now) / 1000);
  const wait = s >= 120 ? `${Math.ceil(s / 60)} minutes` : `${s} s`;
  return f.count >= lockAfter
    ? `Too many failed logins: ${who} is locked out; try again in ${wait}.`
    : `Too many failed logins for ${who}; wait ${wait} before trying again.`;
}

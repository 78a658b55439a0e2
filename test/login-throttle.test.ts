import { describe, expect, it } from 'vitest';
import { LoginThrottle } from '../portal/login/login-throttle.js';
import { Logger } from '../support/logger.js';

describe('login throttle (clock driven)', () => {
  it('login - delays grow after the free tries, then a lockout with a clear message, forgotten after it', () => {
    let now = 1_000_000;
    const lines: string[] = [];
    const t = new LoginThrottle(new Logger((l) => lines.push(l)), {
      freePerAccount: 3, freePerAddress: 100, lockAccountAfter: 6, lockAddressAfter: 100, lockoutMs: 15 * 60_000,
    }, () => now);
    for (let i = 0; i < 2; i++) t.failed('sam', '10.0.0.1');
    expect(t.refusal('sam', '10.0.0.1')).toBeUndefined();
    t.failed('sam', '10.0.0.1');
    expect(t.refusal('Sam', '10.0.0.9')).toBe('Too many failed logins for that character; wait 1 s before trying again.');
    now += 1000;
    t.failed('sam', '10.0.0.1');
    expect(t.refusal('sam', '10.0.0.1')).toMatch(/wait 2 s/);
    now += 2000;
    t.failed('sam', '10.0.0.1');
    expect(t.refusal('sam', '10.0.0.1')).toMatch(/wait 4 s/);
    now += 4000;
    t.failed('sam', '10.0.0.1');
    expect(t.refusal('sam', '10.0.0.1')).toBe('Too many failed logins: that character is locked out; try again in 15 minutes.');
    expect(lines.filter((l) => / login failed /.test(l))).toHaveLength(6);
    expect(lines.filter((l) => / login locked /.test(l))).toHaveLength(1);
    expect(t.refusal('tom', '10.0.0.1')).toBeUndefined(); // other accounts from that address are not locked
    now += 15 * 60_000 + 1;
    expect(t.refusal('sam', '10.0.0.1')).toBeUndefined();
  });

  it('login - an address guessing across many accounts is throttled too', () => {
    const now = 5_000;
    const t = new LoginThrottle(new Logger(null), {
      freePerAccount: 100, freePerAddress: 4, lockAccountAfter: 100, lockAddressAfter: 8, lockoutMs: 60_000,
    }, () => now);
    for (const name of ['ann', 'bob', 'cat', 'dan']) t.failed(name, '10.0.0.2');
    expect(t.refusal('eve', '10.0.0.2')).toMatch(/for your address; wait 1 s/);
    expect(t.refusal('eve', '10.0.0.3')).toBeUndefined();
  });
});

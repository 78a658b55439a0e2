// Turns' log lines are bounded per script (issue 25, noticed in round two of the attacks: a hook that
// fails on every call wrote a line per call, ~340 a second from eight guests).
import { describe, expect, it, vi } from 'vitest';
import { Logger } from '../support/logger.js';
import { TurnLogLimiter } from '../dispatch/turn-log-limiter.js';

describe('turn log limiter', () => {
  it('log - a script failing on every call logs its first lines, then one line saying how many were left out', async () => {
    const lines: string[] = [];
    const limiter = new TurnLogLimiter(new Logger((line) => lines.push(line)), 5, 200);
    for (let i = 0; i < 300; i++) limiter.write('warn', 'cellar.js', `room/cellar${i % 3}`, `script failed: boom ${i}`);
    // Another script in the same window has lines of its own.
    limiter.write('error', 'plaza.js', 'room/mystical_plaza', 'script failed: other');
    expect(lines.filter((l) => l.includes('boom'))).toHaveLength(5);
    expect(lines.some((l) => l.includes('ref=room/mystical_plaza') && l.includes('other'))).toBe(true);

    await vi.waitFor(() => expect(lines.some((l) => l.includes('turn log limited'))).toBe(true), { timeout: 5_000, interval: 20 });
    const summary = lines.filter((l) => l.includes('turn log limited'));
    expect(summary).toHaveLength(1);
    expect(summary[0]).toContain('script=cellar.js');
    expect(summary[0]).toContain('dropped=295');

    // A new window: the script may log again.
    limiter.write('warn', 'cellar.js', 'room/cellar0', 'script failed: boom again');
    expect(lines.filter((l) => l.includes('boom again'))).toHaveLength(1);
    limiter.stop();
  });

  it('log - a script within its lines is never summarised', async () => {
    const lines: string[] = [];
    const limiter = new TurnLogLimiter(new Logger((line) => lines.push(line)), 5, 50);
    for (let i = 0; i < 5; i++) limiter.write('info', 'plaza.js', 'room/mystical_plaza', `hello ${i}`);
    limiter.write('info', 'other.js', 'item/x', 'a line');
    expect(limiter.scriptsInWindow).toBe(2);
    await vi.waitFor(() => expect(limiter.scriptsInWindow).toBe(0), { timeout: 5_000, interval: 20 });
    expect(lines.filter((l) => l.includes('hello'))).toHaveLength(5);
    expect(lines.some((l) => l.includes('turn log limited'))).toBe(false);
    limiter.stop();
  });
});

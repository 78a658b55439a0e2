// A link's echo to itself (nats/self-echo.ts) on a clock this test moves: a deaf link drops
// its socket to reconnect, but a connection that has just come back gets its own time to hear
// itself, rather than being dropped for the silence from before it (seen in the network lab: a
// node's link dropped its fresh connection 0.3 s after a partition healed). The connection is a
// stand-in: its timing is the subject, which a real server cannot be made to hit on cue
// (test/link-deafness.test.ts freezes a real one).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NatsConnection } from '@nats-io/transport-node';
import { DEAF_AFTER_MS, SelfEcho } from '../nats/self-echo.js';
import { silentLogger } from '../support/logger.js';

/** A connection whose server echoes what it publishes while `hears` is true. */
class EchoingConnection {
  hears = true;
  reconnects = 0;
  private callback?: (err: Error | null) => void;

  subscribe(_subject: string, opts: { callback: (err: Error | null) => void }): unknown {
    this.callback = opts.callback;
    return {};
  }

  publish(): void {
    if (this.hears) queueMicrotask(() => this.callback?.(null));
  }

  reconnect(): Promise<void> {
    this.reconnects += 1;
    return Promise.resolve();
  }

  getServer(): string {
    return '127.0.0.1:4222';
  }
}

describe('self echo', () => {
  let connection: EchoingConnection;
  let up: boolean;
  let echo: SelfEcho;
  beforeEach(() => {
    vi.useFakeTimers();
    connection = new EchoingConnection();
    up = true;
    echo = new SelfEcho(connection as unknown as NatsConnection, 'test', silentLogger(), () => up, false);
  });
  afterEach(() => {
    echo.stop();
    vi.useRealTimers();
  });

  /** The link goes deaf, drops its socket once, and is down for `downMs`; then it is connected again. */
  async function deafThenBack(downMs: number): Promise<void> {
    await vi.advanceTimersByTimeAsync(1_000);
    expect(echo.hearsItself()).toBe(true);
    connection.hears = false;
    await vi.advanceTimersByTimeAsync(4_600);
    expect(echo.hearsItself()).toBe(false);
    expect(connection.reconnects).toBe(1);
    up = false;
    await vi.advanceTimersByTimeAsync(downMs);
    expect(connection.reconnects).toBe(1); // nothing forced while the client itself is reconnecting
    up = true;
    echo.cameBack();
  }

  it('self echo - a connection back after a long outage is not dropped for the silence before it', async () => {
    await deafThenBack(6_000);
    // Its echo takes a while to come round (a busy server, a slow first round trip): ticks pass meanwhile.
    await vi.advanceTimersByTimeAsync(2_000);
    expect(connection.reconnects).toBe(1);
    connection.hears = true;
    await vi.advanceTimersByTimeAsync(600);
    expect(echo.hearsItself()).toBe(true);
    expect(connection.reconnects).toBe(1);
  });

  it('self echo - a connection back that stays deaf is dropped once it has had its own time', async () => {
    await deafThenBack(6_000);
    await vi.advanceTimersByTimeAsync(4_000 - DEAF_AFTER_MS + 600);
    expect(connection.reconnects).toBe(2);
    expect(echo.hearsItself()).toBe(false);
  });

  it('self echo - a connection back says something to itself at once, and hears it', async () => {
    await deafThenBack(3_000);
    connection.hears = true;
    echo.cameBack();
    await vi.advanceTimersByTimeAsync(1);
    expect(echo.hearsItself()).toBe(true);
  });
});

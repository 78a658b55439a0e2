// A step that must eventually happen (reaping a dead gateway's players, taking over its timers, putting
// a cut gateway's players back), run again after each failure: the store or the network it needs may
// be out of reach for a while (a JetStream cluster electing a leader answers "temporarily unavailable"
// for seconds), and a step tried once would then never be done.

export interface RetryUntilDoneOptions {
  /** The first wait after a failure; it doubles after each, up to `capMs`. */
  firstMs?: number;
  capMs?: number;
  /** Told of each failure before the wait, with the try's number (1 for the first) and the wait. */
  onFailure?: (err: unknown, attempt: number, nextMs: number) => void;
  /** Aborted: no further try (a wait under way ends at once); the last failure is thrown. */
  signal?: AbortSignal;
}

export const RETRY_FIRST_MS = 250;
/** The longest wait between two tries: a step is done at most this long after what it needs is back. */
export const RETRY_CAP_MS = 4_000;

/** Runs `step` until it resolves, waiting between tries (doubling from `firstMs` to `capMs`). Rejects
 *  only when `signal` is aborted, with the last failure (or at once if aborted before the first try). */
export async function retryUntilDone<T>(step: () => Promise<T>, o: RetryUntilDoneOptions = {}): Promise<T> {
  const cap = o.capMs ?? RETRY_CAP_MS;
  let wait = Math.min(o.firstMs ?? RETRY_FIRST_MS, cap);
  for (let attempt = 1; ; attempt++) {
    if (o.signal?.aborted) throw new Error('stopped before the step was done', { cause: o.signal.reason });
    try {
      return await step();
    } catch (err) {
      if (o.signal?.aborted) throw err;
      o.onFailure?.(err, attempt, wait);
      await pause(wait, o.signal);
      if (o.signal?.aborted) throw err;
      wait = Math.min(wait * 2, cap);
    }
  }
}

/** Waits `ms`, or less if `signal` is aborted meanwhile. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

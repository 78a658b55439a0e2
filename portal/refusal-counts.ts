/** The limits that refuse work before it costs the server: each is a label of
 *  `mud_refusals_total` (portal/metrics.ts), a fixed set so the label stays bounded. */
export const REFUSAL_LIMITS = [
  'connections', // the server is full (--max-connections)
  'connections-per-address', // one address holds too many connections
  'connection-rate', // one address connects too fast
  'login-throttle', // failed logins lock a character or an address out for a while
  'command-rate', // a player types faster than the per-session rate
  'command-queue', // too many lines waiting in one session
  'input-too-long', // a line over the input budget
  'input-invalid-utf8',
  'input-garbage', // protocol bytes that make no sense
  'input-flood', // input far or long over the connection's budget
  'switch-busy', // a live switch holds as many commands as it may
] as const;

export type RefusalLimit = (typeof REFUSAL_LIMITS)[number];

/** How many times each limit refused something since the server started. */
export class RefusalCounts {
  private readonly counts = new Map<RefusalLimit, number>(REFUSAL_LIMITS.map((l) => [l, 0]));

  refused(limit: RefusalLimit): void {
    this.counts.set(limit, this.counts.get(limit)! + 1);
  }

  get(limit: RefusalLimit): number {
    return this.counts.get(limit)!;
  }
}

/** Runs a party (a crowd of bot players) from inside the server's process
 *  family, so the monitor's `p` key needs no extra terminal. */
export interface PartyRunner {
  handle(request: { guests?: number; room?: string; rate?: number; stop?: boolean; raid?: boolean }): Promise<{ message: string }>;
  stop(): Promise<void>;
}

/** How many connections take out-of-band data now (GMCP over telnet, the
 *  browser client's frames). While none does, turns need not build the data
 *  (TurnConfig.clientData): on a server of plain telnet clients a look in a
 *  full room no longer builds, ships and drops a 50-name player list. */
export class DataDemand {
  private takers = 0;
  private readonly watchers: Array<(wanted: boolean) => void> = [];

  get wanted(): boolean {
    return this.takers > 0;
  }

  /** One connection starts (true) or stops (false) taking data; BufferedConnection says each once in turn. */
  taking(on: boolean): void {
    const before = this.wanted;
    this.takers += on ? 1 : -1;
    if (this.wanted !== before) for (const w of this.watchers) w(this.wanted);
  }

  /** Called when `wanted` flips (the cluster's gateways tell each other at once). */
  onChange(watcher: (wanted: boolean) => void): void {
    this.watchers.push(watcher);
  }
}

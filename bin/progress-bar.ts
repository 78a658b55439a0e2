/** Progress on stderr: a bar redrawn in place on a terminal; without one (a
 *  log file, a pipe, the party runner) one line per 10%, so logs stay short. */
export class ProgressBar {
  private lastTenth = -1;
  private lastLabel = '';

  constructor(private readonly out: NodeJS.WriteStream = process.stderr, private readonly width = 30) {}

  update(label: string, done: number, total: number): void {
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const pct = Math.floor(fraction * 100);
    if (this.out.isTTY) {
      const filled = Math.round(fraction * this.width);
      this.out.write(`\r${label.padEnd(10)} [${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}] ${String(pct).padStart(3)}% ${done}/${total}\x1b[K`);
      if (done >= total) this.out.write('\n');
      return;
    }
    const tenth = Math.floor(fraction * 10);
    if (label === this.lastLabel && tenth === this.lastTenth) return;
    this.lastLabel = label;
    this.lastTenth = tenth;
    this.out.write(`${label} ${pct}% (${done}/${total})\n`);
  }
}

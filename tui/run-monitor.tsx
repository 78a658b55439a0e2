import { render } from 'ink';
import type { AdminClient } from './admin-actions.js';
import { MetricsStream, type StreamTarget } from './metrics-stream.js';
import { MonitorApp } from './monitor-app.js';

export interface RunMonitorOptions {
  target: StreamTarget;
  admin: AdminClient;
  /** One JSON line per frame on stdout instead of the screen (scripts, pipes). */
  json: boolean;
  /** Called when the person at the screen presses q. */
  onQuit?(): void;
}

/** Runs the monitor until q (screen) or a signal (JSON lines). */
export async function runMonitor(opts: RunMonitorOptions): Promise<void> {
  const source = new MetricsStream(opts.target);
  if (opts.json) return jsonLines(source);
  // The alternate screen keeps the shell's scrollback clean and is restored however we leave.
  const leave = () => process.stdout.write('\x1b[?1049l\x1b[?25h');
  process.stdout.write('\x1b[?1049h\x1b[H\x1b[?25l');
  process.once('exit', leave);
  const app = render(<MonitorApp source={source} admin={opts.admin} onQuit={opts.onQuit} />, { maxFps: 10 });
  try {
    await app.waitUntilExit();
  } finally {
    leave();
    process.off('exit', leave);
  }
}

function jsonLines(source: MetricsStream): Promise<void> {
  return new Promise((resolve) => {
    const stop = source.subscribe(
      (frame) => process.stdout.write(`${JSON.stringify(frame)}\n`),
      (connected, why) => { if (!connected) process.stderr.write(`mud monitor: ${why ?? 'lost the server'}; reconnecting\n`); },
    );
    const finish = () => {
      stop();
      resolve();
    };
    process.once('SIGINT', finish);
    process.once('SIGTERM', finish);
    // `mud monitor --json | head -1`: the reader left, so do we.
    process.stdout.on('error', finish);
  });
}

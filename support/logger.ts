/** One line per lifecycle event, `time level event key=value ...`, so logs read
 *  well in a terminal and grep well in a file. Subscribers (the monitor's event
 *  list) see the same events. */
export type LogLevel = 'info' | 'warn' | 'error';
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface LogEvent {
  time: number;
  level: LogLevel;
  event: string;
  fields: LogFields;
}

export class Logger {
  private readonly listeners = new Set<(e: LogEvent) => void>();

  constructor(private readonly sink: ((line: string) => void) | null = (line) => process.stderr.write(`${line}\n`)) {}

  info(event: string, fields: LogFields = {}): void {
    this.emit('info', event, fields);
  }

  warn(event: string, fields: LogFields = {}): void {
    this.emit('warn', event, fields);
  }

  error(event: string, fields: LogFields = {}): void {
    this.emit('error', event, fields);
  }

  subscribe(listener: (e: LogEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(level: LogLevel, event: string, fields: LogFields): void {
    const e: LogEvent = { time: Date.now(), level, event, fields };
    this.sink?.(formatLogEvent(e));
    for (const l of this.listeners) l(e);
  }
}

export function formatLogEvent(e: LogEvent): string {
  const parts = Object.entries(e.fields)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' && /[\s"=]/.test(v) ? JSON.stringify(v) : v}`);
  return [new Date(e.time).toISOString(), e.level, e.event, ...parts].join(' ');
}

/** A logger that prints nothing (tests, benchmarks). */
export const silentLogger = (): Logger => new Logger(null);

// tintin++ (a real MUD client) in a tmux pane of its own server, driven as a person would: type a
// line, read the pane back with its colours (capture-pane -e keeps the escape codes).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const TINTIN = '/usr/games/tt++';

function hasTmux(): boolean {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
}

/** What is missing to run tintin++ under tmux here (empty: nothing). */
export function tintinMissing(): string[] {
  return [!existsSync(TINTIN) && `tintin++ at ${TINTIN}`, !hasTmux() && 'tmux'].filter((x): x is string => Boolean(x));
}

export const plain = (text: string): string => text.replace(/\u001b\[[0-9;]*m/g, '');

export class TintinPane {
  private constructor(private readonly socket: string) {}

  /** tintin++ started in a detached tmux session `width` columns wide, on a tmux server named `name`. */
  static async start(name: string, width: number): Promise<TintinPane> {
    const pane = new TintinPane(`${name}-${process.pid}`);
    pane.tmux('new-session', '-d', '-s', 'tt', '-x', String(width), '-y', '50', TINTIN);
    await pane.waitFor((t) => t.includes('van den Hoven'), 'tintin++ to start');
    return pane;
  }

  private tmux(...args: string[]): string {
    return execFileSync('tmux', ['-L', this.socket, ...args], { encoding: 'utf8' });
  }

  /** The pane with its colours as escape codes, and the whole scrollback. */
  text(): string {
    return this.tmux('capture-pane', '-p', '-e', '-S', '-500', '-t', 'tt');
  }

  async waitFor(test: (text: string) => boolean, what: string, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = this.text();
      if (test(text)) return text;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; pane:\n${plain(text)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  type(line: string): void {
    this.tmux('send-keys', '-t', 'tt', '-l', line);
    this.tmux('send-keys', '-t', 'tt', 'Enter');
  }

  stop(): void {
    try {
      this.tmux('kill-server');
    } catch {
      // already gone
    }
  }
}

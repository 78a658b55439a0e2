import { addressOf, type Connection } from '../connection.js';
import { Accounts } from './accounts.js';
import { HashRefused } from '../hash-gate.js';

// `password`: a short dialogue in the game (old password, new one, again),
// typed with echo off where the protocol can. Lines go here instead of to the
// command parser until it is done. The current password is checked as soon as
// it is typed; an empty line (or `cancel`) at any step leaves it unchanged.

type Step = { at: 'old' } | { at: 'new'; old: string } | { at: 'confirm'; old: string; password: string };

const CANCEL = /^\s*(cancel)?\s*$/i;

export class PasswordChange {
  private step: Step = { at: 'old' };
  done = false;

  constructor(private readonly conn: Connection, private readonly accounts: Accounts, private readonly name: string) {
    conn.setEcho(false);
    conn.prompt('Current password (an empty line cancels): ');
  }

  async line(text: string): Promise<void> {
    const step = this.step;
    if (CANCEL.test(text)) return this.finish('Password change cancelled. Your password is unchanged.');
    try {
      if (step.at === 'old') {
        if (!(await this.accounts.verify(this.name, text, addressOf(this.conn.remote)))) return this.finish('That was not your current password. Your password is unchanged.');
        this.step = { at: 'new', old: text };
        return this.ask('New password: ');
      }
      if (step.at === 'new') {
        const problem = Accounts.passwordProblem(text);
        if (problem) return this.finish(`${problem} Your password is unchanged.`);
        this.step = { at: 'confirm', old: step.old, password: text };
        return this.ask('New password again: ');
      }
      if (text !== step.password) return this.finish('The new passwords differ. Your password is unchanged.');
      const changed = await this.accounts.changePassword(this.name, step.old, step.password, addressOf(this.conn.remote));
      this.finish(changed ? 'Password changed.' : 'That was not your current password. Your password is unchanged.');
    } catch (err) {
      if (!(err instanceof HashRefused)) throw err;
      this.finish(`${err.message} Your password is unchanged.`);
    }
  }

  /** The client did not echo the Enter of a hidden line: end that line before the next prompt. */
  private ask(prompt: string): void {
    if (this.conn.protocol === 'telnet') this.conn.write('');
    this.conn.prompt(prompt);
  }

  private finish(message: string): void {
    this.done = true;
    this.conn.setEcho(true);
    this.conn.write(`\n${message}`);
  }
}

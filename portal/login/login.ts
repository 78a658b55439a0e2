import { addressOf, type Connection } from '../connection.js';
import { Accounts, type Account } from './accounts.js';
import type { Guests } from './guest-login.js';
import type { LoginThrottle } from './login-throttle.js';
import { HashRefused } from '../hash-gate.js';

// One line per paragraph: the connection wraps them at the client's own width (NAWS), which the
// flow waits briefly to learn before it sends the banner (Connection.settled).
export const WELCOME = [
  '',
  '  ~ lattice-mud ~',
  'A small world of rooms and relics, served by a lattice of nodes.',
  '',
  'New here? Type a name you would like to be known by, or "guest" to look around.',
  'Scripts and bots: "create <name> <password>" or "connect <name> <password>".',
  '',
].join('\n');

/** At a password or a new name's question, these go back to the name prompt. */
const BACK = /^\s*(back)?\s*$/i;

type Step =
  | { at: 'name' }
  | { at: 'new-name'; name: string }
  | { at: 'password'; name: string; tries: number }
  | { at: 'new-password'; name: string }
  | { at: 'confirm'; name: string; password: string };

/** The welcome screen: the interactive flow (name, then password; new names
 *  choose and confirm one) and TinyMUD/MOO's one-line `connect`/`create`.
 *  Feed it lines; it resolves with the account, or undefined if the player left. */
export class LoginFlow {
  private step: Step = { at: 'name' };
  private resolve!: (a: Account | undefined) => void;
  readonly done = new Promise<Account | undefined>((r) => (this.resolve = r));
  private busy = false;
  /** Logged in with the one-line `connect`/`create` that scripts and bots use. */
  scripted = false;
  /** The character is new: made by this login, or a guest. */
  newcomer = false;
  private echoing = true;

  constructor(
    private readonly conn: Connection,
    private readonly accounts: Accounts,
    private readonly guests?: Guests,
    private readonly throttle?: LoginThrottle,
  ) {
    const greet = () => {
      if (this.finished) return;
      conn.write(WELCOME);
      this.ask();
    };
    if (conn.settled) void conn.settled().then(greet);
    else greet();
  }

  /** One line from the player. Lines typed while a password is being checked wait their turn upstream. */
  async line(text: string): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.handle(text);
    } catch (err) {
      // Over a hashing limit (portal/hash-gate.ts): nothing was checked or made; say why and start over.
      if (!(err instanceof HashRefused)) throw err;
      this.retry(err.message);
    } finally {
      this.busy = false;
    }
  }

  private async handle(text: string): Promise<void> {
    const step = this.step;
    // A hidden line's Enter was not echoed by the telnet client: end the line before anything else is said
    // (the browser client echoes the question itself).
    if (!this.echoing && this.conn.protocol === 'telnet') this.conn.write('');
    if (step.at === 'name') return this.name(text);
    if (BACK.test(text)) return this.back();
    if (step.at === 'new-name') return this.newName(step.name, text);
    if (step.at === 'password') return this.password(step, text);
    if (step.at === 'new-password') return this.newPassword(step.name, text);
    return this.confirm(step, text);
  }

  private async name(text: string): Promise<void> {
    const words = text.split(/\s+/).filter(Boolean);
    const verb = words[0]?.toLowerCase();
    if (!verb) return this.ask();
    if (verb === 'quit') return this.finish(undefined);
    if (verb === 'guest' && this.guests && words.length <= 2) return this.guest(words[1]);
    if ((verb === 'connect' || verb === 'create') && words.length === 3) return this.oneLine(verb, words[1], words[2]);
    if (verb === 'connect' || verb === 'create') return this.retry(`Usage: ${verb} <name> <password>`);
    if (words.length > 1) return this.retry('A name is one word.');
    const problem = Accounts.nameProblem(words[0]);
    if (problem) return this.retry(problem);
    if (await this.accounts.exists(words[0])) this.step = { at: 'password', name: words[0], tries: 0 };
    else {
      const reserved = await this.accounts.newNameProblem(words[0]);
      if (reserved) return this.retry(reserved);
      // A mistyped name of an existing character must not lead straight into making a new one.
      this.step = { at: 'new-name', name: words[0] };
    }
    this.ask();
  }

  private newName(name: string, text: string): void {
    if (!/^\s*y(es)?\s*$/i.test(text)) return this.back();
    this.conn.write(`A new traveller: ${title(name)}.`);
    this.step = { at: 'new-password', name };
    this.ask();
  }

  /** An empty line or `back`: to the name prompt, nothing made. */
  private back(): void {
    this.step = { at: 'name' };
    this.ask();
  }

  private async oneLine(verb: string, name: string, password: string): Promise<void> {
    this.scripted = true;
    const problem = verb === 'create' ? (await this.accounts.newNameProblem(name)) ?? Accounts.passwordProblem(password) : Accounts.nameProblem(name);
    if (problem) return this.retry(problem);
    if (verb === 'connect') {
      const refused = this.throttle?.refusal(name, this.address);
      if (refused) return this.retry(refused);
      const account = await this.verify(name, password);
      return account ? this.finish(account) : this.retry('Either that character does not exist, or that password is wrong.');
    }
    const account = await this.accounts.create(name, password, this.address);
    this.newcomer = account !== undefined;
    return account ? this.finish(account) : this.retry('That name is already taken.');
  }

  private async password(step: Extract<Step, { at: 'password' }>, text: string): Promise<void> {
    const refused = this.throttle?.refusal(step.name, this.address);
    if (refused) return this.retry(refused);
    const account = await this.verify(step.name, text);
    if (account) return this.finish(account);
    if (step.tries + 1 >= 3) {
      this.conn.write('Wrong password. Goodbye.');
      return this.finish(undefined);
    }
    this.step = { ...step, tries: step.tries + 1 };
    this.conn.write('Wrong password.');
    this.ask();
  }

  /** The account if the password is right; either way the throttle hears of it. */
  private async verify(name: string, password: string): Promise<Account | undefined> {
    const account = await this.accounts.verify(name, password, this.address);
    if (account) this.throttle?.succeeded(name);
    else this.throttle?.failed(name, this.address);
    return account;
  }

  /** The peer's address without its port: what the throttle counts by. */
  private get address(): string {
    return addressOf(this.conn.remote);
  }

  private newPassword(name: string, text: string): void {
    const problem = Accounts.passwordProblem(text);
    if (problem) this.conn.write(problem);
    else this.step = { at: 'confirm', name, password: text };
    this.ask();
  }

  private async confirm(step: Extract<Step, { at: 'confirm' }>, text: string): Promise<void> {
    if (text !== step.password) {
      this.conn.write('The passwords differ. Choose again.');
      this.step = { at: 'new-password', name: step.name };
      return this.ask();
    }
    const account = await this.accounts.create(step.name, step.password, this.address);
    this.newcomer = account !== undefined;
    if (account) return this.finish(account);
    this.conn.write('Someone took that name a moment ago. Choose another.');
    this.step = { at: 'name' };
    this.ask();
  }

  /** No password, no hash: see portal/login/guest-login.ts. */
  private guest(name: string | undefined): void {
    const claimed = this.guests!.claim(name);
    if ('problem' in claimed) return this.retry(claimed.problem);
    // `guest <name>` in one line is the bots' form, like `connect`/`create`: one prompt per command.
    this.scripted = name !== undefined;
    this.conn.write('You are a guest: no password guards this character or what it carries. "create <name> <password>" keeps one.');
    this.newcomer = true;
    this.finish(claimed);
  }

  private retry(message: string): void {
    this.scripted = false;
    this.conn.write(message);
    this.step = { at: 'name' };
    this.ask();
  }

  private ask(): void {
    const step = this.step;
    this.echo(step.at === 'name' || step.at === 'new-name');
    if (step.at === 'name') this.conn.prompt('By what name shall you be known? ');
    else if (step.at === 'new-name') this.conn.prompt(`There is no one called ${title(step.name)} here. Make a new character by that name? (yes, or Enter to choose again) `);
    else if (step.at === 'password') this.conn.prompt('Password (Enter to choose another name): ');
    else if (step.at === 'new-password') this.conn.prompt(`Choose a password for ${title(step.name)} (Enter to go back): `);
    else this.conn.prompt('Confirm the password: ');
  }

  private echo(visible: boolean): void {
    if (visible === this.echoing) return;
    this.echoing = visible;
    this.conn.setEcho(visible);
  }

  /** The flow has answered (`done` is settled): later lines belong to the game. */
  finished = false;

  private finish(account: Account | undefined): void {
    this.finished = true;
    this.echo(true);
    this.resolve(account);
  }
}

function title(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1).toLowerCase();
}

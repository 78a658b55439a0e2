import type { Ref } from '../world/core/types.js';
import type { Connection, InputProblem } from './connection.js';
import type { SharedText } from './shared-text.js';
import { LoginFlow } from './login/login.js';
import type { LineInput, SessionHost } from './session-host.js';
import type { OutOfBand } from './out-of-band.js';
import type { PlayerPreferences } from './player/player-preferences.js';
import type { PasswordChange } from './login/password-change.js';
import { runCommand, type CommandSession } from './session-commands.js';
import { promptAfterLines } from './idle-prompts.js';
import { enterPlay } from './session-login.js';
import { InputGuard, REFUSED } from './input-guard.js';
import { readVitals, renderPrompt, type Vitals } from './prompt-format.js';
import type { PlayerHandoff, SessionHandoff } from './handover.js';
import { handOffSession, holdSessionStill, resumeSession } from './session-handoff.js';
import type { Socket } from 'node:net';
import { heldWhileLinkLost, leaveWorld, quitSession } from './session-leave.js';
import { EDITOR_PROMPT, editorLine, passwordLine } from './session-conversation.js';

export const PROMPT = '> ';

/** One player's connection through its life: the welcome screen, then commands
 *  run one at a time (each gets its prompt when its last consequence is done),
 *  then a clean leave. A protocol-neutral connector, as in Evennia's portal:
 *  it survives live switches and world reloads untouched. */
export class Session implements CommandSession {
  // The state below without `private` is shared with how a session enters play and is handed over
  // (session-login.ts, session-handoff.ts), with its conversations and its leaving (session-conversation.ts,
  // session-leave.ts), and with no one else.
  player: Ref | undefined;
  wizard = false;
  readonly queue: string[] = [];
  private running = false;
  login: LoginFlow | undefined;
  gone = false;
  replaced = false;
  /** Set when the connection dropped and the character stays a while (portal/session-leave.ts, `heldWhileLinkLost`):
   *  settles once the world was told of the lost link (`linkLost`), and a takeover waits for it. */
  linkSettled: Promise<unknown> | undefined;
  /** The character stands link-dead. */
  get linkDead(): boolean {
    return this.linkSettled !== undefined;
  }
  /** Away from the keyboard (`afk`) until the next line typed (portal/session-commands.ts). */
  away = false;
  /** This server closed the connection (idle, flooding): no link-dead stay. */
  cutByServer = false;
  /** Ends the wait of a link lost (see `closed`). */
  private cutHold: (() => void) | undefined;
  private readonly guard: InputGuard;
  private lastInput = Date.now();
  readonly loginTimer: NodeJS.Timeout;
  /** The way out after the connection closed: the running command, then the leave. */
  private closing: Promise<void> | undefined;
  prefs: PlayerPreferences | undefined;
  password: PasswordChange | undefined;
  /** A wizard's line editor (`@script`), taking every line until it is done. */
  editor: LineInput | undefined;
  /** A prompt is queued behind lines that reached an idle player (see `unprompted`). */
  private promptQueued = false;
  /** Logged in and shown the first prompt: from then on lines may arrive unasked. */
  playing = false;
  /** Logged in with the one-line connect/create (scripts, bots): see `prompt` in player-settings.ts. */
  scripted = false;
  /** Settles once the login has entered the player into the world (or failed): lines typed
   *  meanwhile wait for it, so a command never runs before its player is in a room. */
  private entering: Promise<void>;
  /** The last `Char.Vitals` the world sent: what the prompt shows (portal/prompt-format.ts). */
  vitals: Vitals | undefined;
  /** Being handed to a successor process (`mud upgrade`): lines wait in the queue, carried over. */
  handing = false;

  /** `resumed`: a player in play handed over by a predecessor process (`mud upgrade`): no login. */
  constructor(readonly conn: Connection, readonly host: SessionHost, resumed?: PlayerHandoff) {
    this.guard = new InputGuard(conn, host);
    conn.onLine((line) => this.input(line));
    conn.onProblem((p) => this.problem(p));
    conn.onClose(() => this.closed());
    this.loginTimer = setTimeout(() => this.loginTimeout(), host.limits.loginTimeoutMs);
    this.loginTimer.unref();
    if (resumed) {
      this.entering = resumeSession(this, resumed).catch((err: unknown) => this.enterFailed(err));
      return;
    }
    this.login = new LoginFlow(conn, host.accounts, host.guests, host.loginThrottle);
    const login = this.login;
    this.entering = login.done.then((account) => {
      this.scripted = login.scripted;
      return enterPlay(this, account, login.newcomer);
    }).catch((err: unknown) => this.enterFailed(err));
  }

  /** Entering the world failed (its store out of reach: a partition): the player is told and let go; the gateway goes on. */
  private enterFailed(err: unknown): void {
    this.host.log.warn('entering failed', { player: this.player, from: this.conn.remote, why: (err as Error).message, action: 'closing the connection' });
    this.conn.write('The world cannot be reached just now; please try again in a moment.\n');
    // Not yet this player's session: a guest's name is free again at once (once it is, leaving frees it).
    if (this.player && this.host.registry.get(this.player) !== this) this.releaseGuest(this.player.slice('player/'.length));
    this.conn.close();
    this.closed();
  }

  tell(text: string): void {
    this.conn.write(text);
    this.unprompted();
  }

  tellShared(text: SharedText): void {
    this.conn.writeShared(text);
    this.unprompted();
  }

  hears(channel: string): boolean {
    return channel !== 'chat' || this.prefs?.chatOn !== false;
  }

  ignores(speaker: Ref): boolean {
    return this.prefs?.ignores(speaker) === true;
  }

  /** A line reached a player who is not running a command (someone spoke, a
   *  channel line): the prompt they had is now above it, so send it again, once
   *  for all the lines of this tick. While a command runs, its own prompt follows. */
  private unprompted(): void {
    if (this.promptQueued || !this.prefs?.repromptOn || !this.idle) return;
    this.promptQueued = true;
    promptAfterLines(this);
  }

  reprompt(): void {
    this.promptQueued = false;
    if (this.idle) this.conn.prompt(this.promptText());
  }

  /** The player's prompt, as they shaped it, from their latest vitals. */
  promptText(): string {
    return this.prefs ? renderPrompt(this.prefs.promptFormat, this.vitals) : PROMPT;
  }

  private get idle(): boolean {
    return this.playing && !this.password && !this.editor && !this.running && this.queue.length === 0 && !this.gone;
  }

  emit(oob: OutOfBand): void {
    if (oob.pkg === 'Char.Vitals') this.vitals = readVitals(oob.data) ?? this.vitals;
    this.conn.emit(oob);
  }

  takenOver(): void {
    this.replaced = true;
    this.conn.write('Your character has been taken over by a new connection. Goodbye.');
    this.conn.close();
    this.cutHold?.(); // a link-dead stay ends: the new connection has the character
  }

  private input(line: string): void {
    if (this.gone) return;
    this.lastInput = Date.now();
    const admitted = this.guard.admit(line, this.queue.length, this.player !== undefined && !this.login);
    if (admitted === undefined) return;
    this.queue.push(admitted);
    void this.pump();
  }

  private problem(p: InputProblem): void {
    if (this.gone) return;
    const how = this.guard.problem(p, this.player);
    if (how === 'dropped') {
      this.cutByServer = true;
      return this.closed();
    }
    // The refused line was the player's turn to speak: give them the prompt back, unless a command will.
    if (how === 'answered' && this.player && !this.login && !this.running && this.queue.length === 0) this.conn.prompt(this.promptText());
  }

  async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.queue.length && !this.gone && !this.handing) {
        if (!this.login && !this.prefs) await this.entering; // a resumed session still loading the player's settings
        const line = this.queue.shift()!;
        const login = this.login;
        if (login) {
          await login.line(line);
          if (login.finished) await this.entering;
        } else if (line === REFUSED) this.guard.answerRefused(this.promptText());
        else if (this.password) await passwordLine(this, line);
        else if (this.editor) await editorLine(this, line);
        else await this.command(line);
        if (this.conn.congested) await this.backpressure();
        else this.conn.resume();
      }
    } finally {
      this.running = false;
    }
  }

  /** A peer not reading its output does not get to issue more commands meanwhile. */
  private async backpressure(): Promise<void> {
    for (let waited = 0; this.conn.congested && !this.gone && waited < 30_000; waited += 50) {
      this.conn.pause();
      await new Promise((r) => setTimeout(r, 50));
    }
    this.conn.resume();
  }

  private async command(line: string): Promise<void> {
    const player = this.player!;
    this.conn.hold();
    try {
      if (line.trim()) await runCommand(this, player, this.prefs!.expand(line));
      if (!this.gone && !this.password) this.conn.prompt(this.editor ? EDITOR_PROMPT : this.promptText());
    } finally {
      this.conn.release();
    }
  }

  get preferences(): PlayerPreferences {
    return this.prefs!;
  }

  converse(input: { password: PasswordChange } | { editor: LineInput }): void {
    if ('password' in input) this.password = input.password;
    else this.editor = input.editor;
  }

  /** The player enters the world again (a `connect`), their session here having outlived their time in it: the
   *  others counted this gateway gone (SIGSTOPped, cut off) and took them out, and it hears again
   *  (portal/session-rejoin.ts). Between two of their commands, never beside one: a command under way may be
   *  moving them, its `moved` not yet in their record, and a connect then would read the room they are leaving
   *  and enter it again; the later of the two `moved` would leave them in one room while the other still holds
   *  them, and a `look` would show the room they had left (docs/architecture/many-gateways.md). */
  async reenter(): Promise<void> {
    await this.entering;
    while (this.running) await this.waitIdle(); // a line's pump may start between waitIdle's end and here
    // A link-dead character was taken out with the rest: its stay ends now, and its player's next login enters again.
    if (this.gone && this.linkDead) this.cutHold?.();
    if (this.gone || !this.player) return;
    this.running = true;
    try {
      await this.host.engine.connect(this.player, !this.conn.takesData);
    } finally {
      this.running = false;
      this.unprompted(); // the room reached the player between commands
      void this.pump(); // lines typed meanwhile
    }
  }

  /** `mud upgrade`, first half: no more input, the running command done; output still flows. */
  holdStill(): Promise<void> {
    return holdSessionStill(this);
  }

  /** `mud upgrade`: the connection and the player in play, for a successor process (portal/session-handoff.ts). */
  handOff(): Promise<{ socket: Socket; state: SessionHandoff } | undefined> {
    return handOffSession(this);
  }

  /** Settles once the player is in play (logged in, or resumed after a hand-over). */
  inPlay(): Promise<void> {
    return this.entering;
  }

  /** Server shutdown: the player leaves the world now, while the nodes still
   *  run, then the connection closes. */
  async shutdown(message: string): Promise<void> {
    if (this.gone) return this.leaveNow(); // already on its way out: the shutdown waits for it
    this.conn.write(message);
    this.gone = true;
    await this.waitIdle();
    await leaveWorld(this);
    this.conn.close();
  }

  /** A session on its way out leaves now, a link lost mid-fight included (see `closed`), while the nodes still
   *  run: a shutdown or an upgrade waits for it. */
  leaveNow(): Promise<void> | undefined {
    this.cutHold?.();
    return this.closing;
  }

  /** `quit`: the player leaves the world, and the connection closes (portal/session-leave.ts). */
  quit(): Promise<void> {
    return quitSession(this);
  }

  releaseGuest(name: string): void {
    if (this.host.guests?.isGuest(name)) this.host.guests.release(name);
  }

  private closed(): void {
    clearTimeout(this.loginTimer);
    if (this.gone) return;
    this.gone = true;
    // A command still running finishes first, a lost link (or a fight) holds the player a while; then the player leaves the room.
    const cut = new Promise<void>((r) => { this.cutHold = r; });
    this.closing = this.waitIdle().then(() => heldWhileLinkLost(this, cut)).then(() => leaveWorld(this)).catch((err: unknown) => {
      this.host.log.error('logout failed', { player: this.player, why: err instanceof Error ? err.message : String(err) });
    });
  }

  async waitIdle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Called by the server's sweep: a player silent for `idleMs` is disconnected (and leaves the world). */
  dropIfIdle(idleMs: number): void {
    if (this.gone || !this.player || Date.now() - this.lastInput < idleMs) return;
    this.host.log.info('idle timeout', { player: this.player, minutes: Math.round(idleMs / 60_000) });
    this.conn.write(`\nYou have been idle for ${Math.round(idleMs / 60_000)} minutes. Goodbye.`);
    this.cutByServer = true;
    this.conn.close();
    this.closed();
  }

  private loginTimeout(): void {
    if (!this.login || this.gone) return;
    this.conn.write('\nYou took too long to log in. Goodbye.');
    this.conn.close();
  }
}

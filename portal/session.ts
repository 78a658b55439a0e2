import type { Json, Ref } from '../world/core/types.js';
import { parseCommand, helpText } from '../world/commands/commands.js';
import type { Connection, InputProblem } from './connection.js';
import type { SharedText } from './shared-text.js';
import { LoginFlow } from './login/login.js';
import { RateLimit } from './rate-limit.js';
import type { LineInput, SessionHost } from './session-host.js';
import { whoList } from './who.js';
import { whereList } from './where.js';
import type { OutOfBand } from './out-of-band.js';
import { styled } from '../world/core/text-style.js';
import { parseAlias, parseUnalias } from './player/player-aliases.js';
import { PlayerPreferences } from './player/player-preferences.js';
import { PasswordChange } from './login/password-change.js';
import { promptAfterLines } from './idle-prompts.js';
import { SessionInUseError } from './cluster-sessions.js';
import { InputStrikes } from './input-strikes.js';
import { readVitals, renderPrompt, type Vitals } from './prompt-format.js';
import { SHIMMER, type PlayerHandoff, type SessionHandoff } from './handover.js';
import type { Socket } from 'node:net';

/** The prompt while a line editor takes the lines (`@script`). */
const EDITOR_PROMPT = ': ';

export const PROMPT = '> ';
/** Stands in the queue for a line refused by the rate limit (no typed line can hold a NUL). */
const REFUSED = '\u0000refused';
/** How long `quit` in the middle of a fight keeps the player in it. */
const QUIT_IN_FIGHT_MS = 5_000;
/** Lines waiting behind a running command; more than this and the player is asked to slow down. */
const MAX_QUEUED_LINES = 20;

/** One player's connection through its life: the welcome screen, then commands
 *  run one at a time (each gets its prompt when its last consequence is done),
 *  then a clean leave. A protocol-neutral connector, as in Evennia's portal:
 *  it survives live switches and world reloads untouched. */
export class Session {
  player: Ref | undefined;
  wizard = false;
  private readonly queue: string[] = [];
  private running = false;
  private login: LoginFlow | undefined;
  private gone = false;
  private replaced = false;
  private readonly rate: RateLimit;
  private lastWarned = 0;
  private readonly strikes = new InputStrikes();
  private lastInput = Date.now();
  private readonly loginTimer: NodeJS.Timeout;
  /** The way out after the connection closed: the running command, then the leave. */
  private closing: Promise<void> | undefined;
  private prefs: PlayerPreferences | undefined;
  private password: PasswordChange | undefined;
  /** A wizard's line editor (`@script`), taking every line until it is done. */
  private editor: LineInput | undefined;
  /** A prompt is queued behind lines that reached an idle player (see `unprompted`). */
  private promptQueued = false;
  /** Logged in and shown the first prompt: from then on lines may arrive unasked. */
  private playing = false;
  /** Logged in with the one-line connect/create (scripts, bots): see `prompt` in player-settings.ts. */
  private scripted = false;
  /** Settles once the login has entered the player into the world (or failed): lines typed
   *  meanwhile wait for it, so a command never runs before its player is in a room. */
  private entering: Promise<void>;
  /** The last `Char.Vitals` the world sent: what the prompt shows (portal/prompt-format.ts). */
  private vitals: Vitals | undefined;
  /** Being handed to a successor process (`mud upgrade`): lines wait in the queue, carried over. */
  private handing = false;

  /** `resumed`: a player in play handed over by a predecessor process (`mud upgrade`): no login. */
  constructor(readonly conn: Connection, private readonly host: SessionHost, resumed?: PlayerHandoff) {
    this.rate = new RateLimit(host.limits.commandsPerSecond, host.limits.commandBurst);
    conn.onLine((line) => this.input(line));
    conn.onProblem((p) => this.problem(p));
    conn.onClose(() => this.closed());
    this.loginTimer = setTimeout(() => this.loginTimeout(), host.limits.loginTimeoutMs);
    this.loginTimer.unref();
    if (resumed) {
      this.entering = this.resume(resumed).catch((err: unknown) => this.enterFailed(err));
      return;
    }
    this.login = new LoginFlow(conn, host.accounts, host.guests, host.loginThrottle);
    const login = this.login;
    this.entering = login.done.then((account) => {
      this.scripted = login.scripted;
      return this.loggedIn(account);
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
  private promptText(): string {
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
  }

  private input(line: string): void {
    if (this.gone) return;
    this.lastInput = Date.now();
    if (this.queue.length >= MAX_QUEUED_LINES) {
      this.host.refusals?.refused('command-queue');
      return this.warn('Too many commands are waiting; that one was ignored.');
    }
    // A line over the rate keeps its place in line and is answered, in order,
    // with a warning and a prompt: a client that counts prompts never hangs.
    const refused = this.player !== undefined && !this.login && !this.rate.take();
    if (refused) this.host.refusals?.refused('command-rate');
    this.queue.push(refused ? REFUSED : line);
    void this.pump();
  }

  private warn(text: string): void {
    const now = Date.now();
    if (now - this.lastWarned < 1000) return;
    this.lastWarned = now;
    this.conn.write(text);
  }

  private refused(): void {
    this.warn('You are sending commands too fast; that one was ignored. Slow down a little.');
    this.conn.prompt(this.promptText());
  }

  private problem(p: InputProblem): void {
    if (this.gone) return;
    this.host.refusals?.refused(`input-${p}`);
    if (this.strike(p)) return;
    if (p === 'garbage') return; // the client's bug, not the player's line: nothing to answer
    this.conn.write(p === 'too-long' ? 'That line was too long (over 4 KiB) and was ignored.' : 'That line was not valid UTF-8 and was ignored.');
    // The refused line was the player's turn to speak: give them the prompt back, unless a command will.
    if (this.player && !this.login && !this.running && this.queue.length === 0) this.conn.prompt(this.promptText());
  }

  /** Counts a problem; a few in a minute drop the connection (true when dropped). */
  private strike(p: InputProblem): boolean {
    const why = this.strikes.count(p);
    if (!why) return false;
    this.host.log.warn('connection dropped', { from: this.conn.remote, player: this.player, why });
    this.conn.write(p === 'flood' ? 'You are sending too much, too fast; goodbye.' : `Too many ${why}; goodbye.`);
    this.conn.close();
    this.closed();
    return true;
  }

  private async pump(): Promise<void> {
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
        } else if (line === REFUSED) this.refused();
        else if (this.password) await this.passwordLine(line);
        else if (this.editor) await this.editorLine(line);
        else await this.command(line);
        await this.backpressure();
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

  private async loggedIn(account: { name: string; wizard: boolean } | undefined): Promise<void> {
    clearTimeout(this.loginTimer);
    this.login = undefined;
    if (account && this.gone) this.releaseGuest(account.name);
    if (!account || this.gone) return this.conn.close();
    this.player = `player/${account.name}`;
    this.wizard = account.wizard;
    this.prefs = await PlayerPreferences.load(this.host, this.conn, account.name, this.scripted);
    const took = this.host.registry.attach(this.player, this) !== undefined || (await this.claimInCluster(this.player));
    if (this.gone) return;
    this.host.log.info('login', { player: this.player, via: this.conn.protocol, from: this.conn.remote, wizard: this.wizard, takeover: took });
    this.conn.write(`Welcome, ${account.name.charAt(0).toUpperCase()}${account.name.slice(1)}.${this.wizard ? ' You are a wizard here: "help" lists the @ commands.' : ''}\n`);
    if (took) await this.host.engine.command(this.player, { verb: 'look' }, !this.conn.takesData);
    else await this.host.engine.connect(this.player, !this.conn.takesData);
    this.conn.prompt(this.promptText());
    this.playing = true;
    this.conn.paceOutput();
  }

  /** With several gateways: the player's session becomes this one cluster-wide (true: taken over from another gateway). */
  private async claimInCluster(player: Ref): Promise<boolean> {
    if (!this.host.cluster) return false;
    const name = player.slice('player/'.length);
    try {
      return await this.host.cluster.claim(player, { takeover: !this.host.guests?.isGuest(name) });
    } catch (err) {
      const inUse = err instanceof SessionInUseError;
      this.host.log[inUse ? 'info' : 'error']('login refused', { player, why: err instanceof Error ? err.message : String(err) });
      this.conn.write(inUse ? err.message : 'The world could not take you in just now; please try again in a moment.');
      this.gone = true;
      this.host.registry.detach(player, this);
      this.releaseGuest(name);
      this.conn.close();
      return false;
    }
  }

  private async command(line: string): Promise<void> {
    const player = this.player!;
    this.conn.hold();
    try {
      if (line.trim()) await this.run(player, this.prefs!.expand(line));
      if (!this.gone && !this.password) this.conn.prompt(this.editor ? EDITOR_PROMPT : this.promptText());
    } finally {
      this.conn.release();
    }
  }

  private async run(player: Ref, line: string): Promise<void> {
    const parsed = parseCommand(line, this.wizard, this.host.engine.currentWorld.socials);
    if (!parsed.ok) return this.conn.write(styled('error', parsed.error));
    if (parsed.scope === 'world') return this.world(player, parsed.command);
    switch (parsed.verb) {
      case 'who': return this.conn.write(await whoList(this.host, this.wizard));
      case 'where': return this.conn.write(await whereList(this.host, player));
      case 'save': return this.conn.write('There is no need: the world keeps your character and what you carry as you play, after every change.');
      case 'help': return this.conn.write(helpText(parsed.rest, this.wizard));
      case 'quit': return this.quit();
      case 'config': return this.conn.write(await this.prefs!.config(parsed.rest));
      case 'chat': return this.chat(player, parsed.rest);
      case 'alias': return this.conn.write(await this.prefs!.alias(parsed.rest, parseAlias));
      case 'unalias': return this.conn.write(await this.prefs!.alias(parsed.rest, parseUnalias));
      case 'prompt': return this.conn.write(await this.prefs!.prompt(parsed.rest));
      case 'password': return void (this.password = new PasswordChange(this.conn, this.host.accounts, player.slice('player/'.length)));
      default: {
        const answer = await this.host.admin.wizardCommand(parsed.verb, parsed.rest, player);
        if (typeof answer === 'string') return this.conn.write(answer);
        this.editor = answer.input;
        return this.conn.write(answer.text);
      }
    }
  }

  private async world(player: Ref, command: { verb: string; [field: string]: Json }): Promise<void> {
    const ran = await this.host.engine.command(player, command, !this.conn.takesData, this.wizard);
    if (!ran) this.conn.write('The world is busy rearranging itself; please try that again in a moment.');
  }

  /** `chat <words>` runs in the world (the channel object); `chat on|off` is kept with the player's settings. */
  private async chat(player: Ref, rest: string): Promise<void> {
    const word = rest.toLowerCase();
    if (word === 'on' || word === 'off') return this.conn.write(await this.prefs!.chat(word === 'on'));
    if (!rest) return this.conn.write(styled('error', 'Chat what? (usage: chat <words> | chat on | chat off)'));
    if (!this.prefs!.chatOn) return this.conn.write(styled('error', 'You have chat off; "chat on" first to talk on it.'));
    await this.world(player, { verb: 'chat', text: rest });
  }

  private async editorLine(line: string): Promise<void> {
    this.conn.hold();
    try {
      const answer = await this.editor!.line(line);
      if (answer) this.conn.write(answer);
      if (this.editor!.done) this.editor = undefined;
      if (!this.gone) this.conn.prompt(this.editor ? EDITOR_PROMPT : this.promptText());
    } finally {
      this.conn.release();
    }
  }

  private async passwordLine(line: string): Promise<void> {
    await this.password!.line(line);
    if (!this.password!.done) return;
    this.password = undefined;
    if (!this.gone) this.conn.prompt(this.promptText());
  }

  /** `mud upgrade`: reading stops, the running command finishes (its answer and prompt go
   *  out), the player sees the shimmer line, and the connection is let go of with what the
   *  successor needs. The player stays in the world. Undefined when the connection could not
   *  be handed on (it closed, or its peer reads too slowly): it is closed here. */
  async handOff(): Promise<{ socket: Socket; state: SessionHandoff } | undefined> {
    if (this.gone) return undefined;
    this.handing = true;
    this.conn.holdInput();
    await this.waitIdle();
    clearTimeout(this.loginTimer);
    const player = this.player;
    const inPlay = player !== undefined && !this.login && !this.gone;
    // A login is not carried: what was typed into it must not run as commands.
    // A password or text being written is not carried either (its dialogue lives in this process).
    const queue = inPlay && !this.password && !this.editor ? this.queue.filter((l) => l !== REFUSED) : [];
    if (this.password) this.conn.write('(Your password change was interrupted; nothing changed. Type "password" to start it again.)');
    if (this.editor) this.conn.write('(The text you were writing was interrupted by the upgrade and not kept; start it again.)');
    if (!this.gone) this.conn.write(SHIMMER);
    const handed = this.gone ? undefined : await this.conn.handOff();
    this.gone = true;
    this.replaced = true; // no leave: the successor carries on with the player where they stand
    if (!handed) {
      this.conn.close();
      return undefined;
    }
    const play: PlayerHandoff | undefined = inPlay
      ? { player, wizard: this.wizard, scripted: this.scripted, room: this.host.locations.roomOf(player), vitals: this.vitals, queue }
      : undefined;
    return { socket: handed.socket, state: { conn: handed.state, play } };
  }

  /** Settles once the player is in play (logged in, or resumed after a hand-over). */
  inPlay(): Promise<void> {
    return this.entering;
  }

  /** Carries on a predecessor's player: in the registry and the location index again, the
   *  player's own settings applied, and the lines typed meanwhile run in order. */
  private async resume(r: PlayerHandoff): Promise<void> {
    clearTimeout(this.loginTimer);
    this.login = undefined;
    this.player = r.player;
    this.wizard = r.wizard;
    this.scripted = r.scripted;
    this.vitals = r.vitals;
    const name = r.player.slice('player/'.length);
    if (this.host.guests?.isGuest(name)) this.host.guests.claim(name);
    this.prefs = await PlayerPreferences.load(this.host, this.conn, name, r.scripted);
    this.host.registry.attach(r.player, this);
    if (r.room) this.host.locations.set(r.player, r.room);
    this.playing = true;
    this.conn.paceOutput();
    if (r.queue.length === 0) {
      // The shimmer line pushed the prompt up: one more, as after any line that reached an idle player.
      if (this.prefs.repromptOn) this.conn.prompt(this.promptText());
      return;
    }
    this.queue.push(...r.queue);
    void this.pump();
  }

  /** Server shutdown: the player leaves the world now, while the nodes still
   *  run, then the connection closes. */
  async shutdown(message: string): Promise<void> {
    if (this.gone) return this.closing; // already on its way out: the shutdown waits for it
    this.conn.write(message);
    this.gone = true;
    await this.waitIdle();
    await this.leave();
    this.conn.close();
  }

  private async quit(): Promise<void> {
    // Mid-fight there is no vanishing at once, as in Diku MUDs: the fight goes on a few seconds more.
    if (this.vitals?.fighting) {
      this.conn.release(); // the fight's lines reach the player while they wait
      this.conn.write(`You turn to leave, but the fight holds you: you will be gone in ${QUIT_IN_FIGHT_MS / 1000} seconds.`);
      await new Promise((r) => setTimeout(r, QUIT_IN_FIGHT_MS));
      this.conn.hold();
      if (this.gone) return;
    }
    this.conn.write('You fade from the world. Your things are saved. Farewell!');
    this.gone = true;
    await this.leave();
    this.conn.close();
  }

  private async leave(): Promise<void> {
    const player = this.player;
    if (!player || this.replaced || !this.host.registry.detach(player, this)) return;
    const disconnect = () => this.host.engine.disconnect(player);
    await (this.host.cluster ? this.host.cluster.leave(player, disconnect) : disconnect());
    this.releaseGuest(player.slice('player/'.length));
    this.host.log.info('logout', { player });
  }

  private releaseGuest(name: string): void {
    if (this.host.guests?.isGuest(name)) this.host.guests.release(name);
  }

  private closed(): void {
    clearTimeout(this.loginTimer);
    if (this.gone) return;
    this.gone = true;
    // A command still running finishes first; then the player leaves the room.
    this.closing = this.waitIdle().then(() => this.leave()).catch((err: unknown) => {
      this.host.log.error('logout failed', { player: this.player, why: err instanceof Error ? err.message : String(err) });
    });
  }

  private async waitIdle(): Promise<void> {
    while (this.running) await new Promise((r) => setTimeout(r, 10));
  }

  /** Called by the server's sweep: a player silent for `idleMs` is disconnected (and leaves the world). */
  dropIfIdle(idleMs: number): void {
    if (this.gone || !this.player || Date.now() - this.lastInput < idleMs) return;
    this.host.log.info('idle timeout', { player: this.player, minutes: Math.round(idleMs / 60_000) });
    this.conn.write(`\nYou have been idle for ${Math.round(idleMs / 60_000)} minutes. Goodbye.`);
    this.conn.close();
    this.closed();
  }

  private loginTimeout(): void {
    if (!this.login || this.gone) return;
    this.conn.write('\nYou took too long to log in. Goodbye.');
    this.conn.close();
  }
}

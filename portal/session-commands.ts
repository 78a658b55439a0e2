import type { Json, Ref } from '../world/core/types.js';
import { parseCommand, helpText } from '../world/commands/commands.js';
import { styled } from '../world/core/text-style.js';
import type { Connection } from './connection.js';
import type { LineInput, SessionHost } from './session-host.js';
import { whoList } from './who.js';
import { whereList } from './where.js';
import { parseAlias, parseUnalias } from './player/player-aliases.js';
import type { PlayerPreferences } from './player/player-preferences.js';
import { PasswordChange } from './login/password-change.js';

/** What a player's command needs of the session it was typed in (portal/session.ts). */
export interface CommandSession {
  readonly conn: Connection;
  readonly host: SessionHost;
  readonly wizard: boolean;
  /** The player's own settings, loaded at login. */
  readonly preferences: PlayerPreferences;
  quit(): Promise<void>;
  /** Away from the keyboard (`afk`), until the player's next line: `who` marks it. */
  away: boolean;
  /** The lines that follow go to a dialogue (`password`) or a wizard's line editor (`@script`) until it is done. */
  converse(input: { password: PasswordChange } | { editor: LineInput }): void;
}

/** One typed line, aliases expanded: the portal's own commands (`who`, `config`, `password`, the
 *  wizards' `@` commands, ...) are answered here; a world command goes to the engine. */
export async function runCommand(s: CommandSession, player: Ref, line: string): Promise<void> {
  const parsed = parseCommand(line, s.wizard, s.host.engine.currentWorld.socials);
  // Whatever the player types brings them back from `afk` (their tells stop answering that they are away).
  const afk = parsed.ok && parsed.scope === 'world' && parsed.command.verb === 'afk';
  if (s.away && !afk) {
    s.away = false;
    await worldCommand(s, player, { verb: 'back' });
  }
  if (!parsed.ok) return s.conn.write(styled('error', parsed.error));
  if (afk) s.away = true;
  if (parsed.scope === 'world') return worldCommand(s, player, parsed.command);
  const prefs = s.preferences;
  switch (parsed.verb) {
    case 'who': return s.conn.write(await whoList(s.host, s.wizard));
    case 'where': return s.conn.write(await whereList(s.host, player));
    case 'save': return s.conn.write('There is no need: the world keeps your character and what you carry as you play, after every change.');
    case 'help': return s.conn.write(helpText(parsed.rest, s.wizard));
    case 'quit': return s.quit();
    case 'config': return s.conn.write(await prefs.config(parsed.rest));
    case 'chat': return chat(s, player, parsed.rest);
    case 'alias': return s.conn.write(await prefs.alias(parsed.rest, parseAlias));
    case 'unalias': return s.conn.write(await prefs.alias(parsed.rest, parseUnalias));
    case 'prompt': return s.conn.write(await prefs.prompt(parsed.rest));
    case 'ignore': return ignore(s, player, parsed.rest, true);
    case 'unignore': return ignore(s, player, parsed.rest, false);
    case 'password': return s.converse({ password: new PasswordChange(s.conn, s.host.accounts, player.slice('player/'.length)) });
    default: {
      const answer = await s.host.admin.wizardCommand(parsed.verb, parsed.rest, player);
      if (typeof answer === 'string') return s.conn.write(answer);
      s.converse({ editor: answer.input });
      return s.conn.write(answer.text);
    }
  }
}

async function worldCommand(s: CommandSession, player: Ref, command: { verb: string; [field: string]: Json }): Promise<void> {
  const ran = await s.host.engine.command(player, command, !s.conn.takesData, s.wizard);
  if (!ran) s.conn.write('The world is busy rearranging itself; please try that again in a moment.');
}

/** `ignore` / `unignore`, kept with the player's settings; the world's copy (which refuses their tells and
 *  whispers) is kept in step by a command of its own. */
async function ignore(s: CommandSession, player: Ref, rest: string, on: boolean): Promise<void> {
  const name = rest.trim().toLowerCase();
  const exists = on && name !== '' && ((await s.host.accounts.exists(name)) || s.host.guests?.isGuest(name) === true);
  const answer = await s.preferences.ignore(rest, on, exists);
  if (answer.names) await worldCommand(s, player, { verb: 'ignoring', names: answer.names });
  s.conn.write(answer.text);
}

/** `chat <words>` runs in the world (the channel object); `chat on|off` is kept with the player's settings. */
async function chat(s: CommandSession, player: Ref, rest: string): Promise<void> {
  const word = rest.toLowerCase();
  if (word === 'on' || word === 'off') return s.conn.write(await s.preferences.chat(word === 'on'));
  if (!rest) return s.conn.write(styled('error', 'Chat what? (usage: chat <words> | chat on | chat off)'));
  if (!s.preferences.chatOn) return s.conn.write(styled('error', 'You have chat off; "chat on" first to talk on it.'));
  await worldCommand(s, player, { verb: 'chat', text: rest });
}

import type { Connection } from '../connection.js';
import type { SessionHost } from '../session-host.js';
import { CONFIG_USAGE, describeSettings, parseConfig, type PlayerSettings } from './player-settings.js';
import { expandAlias, type Aliases } from './player-aliases.js';
import { styled } from '../../world/core/text-style.js';
import { checkPromptFormat, DEFAULT_PROMPT_FORMAT } from '../prompt-format.js';
import { ignoreChange, ignoredNames, keptIgnores, unignoreChange } from './player-ignores.js';
import { refName, type Ref } from '../../world/core/types.js';

type AliasChange = (rest: string, current: Aliases) => { aliases?: Aliases; text: string } | { error: string };

/** A player's own choices as their session applies them: display settings
 *  (`config`, handed to the connection), chat on or off, the prompt after
 *  unasked lines, and aliases. Loaded at login, saved on every change. */
export class PlayerPreferences {
  chatOn = true;
  repromptOn = true;
  promptFormat = DEFAULT_PROMPT_FORMAT;
  /** The names of the players this one ignores (`ignore`). */
  ignored: ReadonlySet<string> = new Set();

  private constructor(
    private readonly host: Pick<SessionHost, 'settings' | 'aliases'>,
    private readonly conn: Connection,
    private readonly name: string,
    /** Logged in with the one-line connect/create of scripts and bots: see `prompt` in player-settings.ts. */
    private readonly scripted: boolean,
    private aliases: Aliases,
  ) {}

  static async load(host: Pick<SessionHost, 'settings' | 'aliases'>, conn: Connection, name: string, scripted: boolean): Promise<PlayerPreferences> {
    const prefs = new PlayerPreferences(host, conn, name, scripted, await host.aliases.load(name));
    prefs.apply(await host.settings.load(name));
    return prefs;
  }

  expand(line: string): string {
    return expandAlias(line, this.aliases);
  }

  /** `config`: show, or change and keep, the settings. */
  async config(rest: string): Promise<string> {
    const current = await this.host.settings.load(this.name);
    if (!rest) return this.settingsText(current);
    const parsed = parseConfig(rest, current);
    if ('error' in parsed) return styled('error', parsed.error);
    await this.host.settings.save(this.name, parsed.settings);
    this.apply(parsed.settings);
    return `Saved. ${this.settingsText(parsed.settings)}`;
  }

  /** `chat on` / `chat off`, kept with the other settings. */
  async chat(on: boolean): Promise<string> {
    await this.host.settings.save(this.name, { ...(await this.host.settings.load(this.name)), chat: on ? 'on' : 'off' });
    this.chatOn = on;
    return on ? 'You listen to chat again.' : 'You no longer hear chat. "chat on" to listen again.';
  }

  /** `prompt <format>`: show, or change and keep, what the prompt shows. */
  async prompt(rest: string): Promise<string> {
    if (!rest.trim()) return `Your prompt: ${this.promptFormat}${this.promptFormat === DEFAULT_PROMPT_FORMAT ? ' (hit points while hurt or fighting)' : ''}. Change with: prompt <format> | prompt default (help prompt).`;
    const checked = checkPromptFormat(rest);
    if ('error' in checked) return styled('error', checked.error);
    await this.host.settings.save(this.name, { ...(await this.host.settings.load(this.name)), promptFormat: checked.format });
    this.promptFormat = checked.format;
    return checked.format === DEFAULT_PROMPT_FORMAT ? 'Your prompt is the default again.' : `Your prompt is now: ${checked.format}`;
  }

  /** Does the player ignore this speaker? */
  ignores(speaker: Ref): boolean {
    return this.ignored.size > 0 && this.ignored.has(refName(speaker));
  }

  /** `ignore [name]` (`on`) or `unignore name`: the answer, and the whole new list when it changed. `exists`:
   *  whether there is a player of that name to ignore. */
  async ignore(rest: string, on: boolean, exists: boolean): Promise<{ text: string; names?: string[] }> {
    const current = [...this.ignored];
    const change = on ? ignoreChange(rest, current, this.name.toLowerCase(), exists) : unignoreChange(rest, current);
    if ('error' in change) return { text: styled('error', change.error) };
    if (!('names' in change)) return { text: change.text };
    await this.host.settings.save(this.name, { ...(await this.host.settings.load(this.name)), ignore: keptIgnores(change.names) });
    this.ignored = new Set(change.names);
    return change;
  }

  /** `alias ...` / `unalias ...` */
  async alias(rest: string, change: AliasChange): Promise<string> {
    const result = change(rest, this.aliases);
    if ('error' in result) return styled('error', result.error);
    if (result.aliases) {
      await this.host.aliases.save(this.name, result.aliases);
      this.aliases = result.aliases;
    }
    return result.text;
  }

  private apply(s: PlayerSettings): void {
    this.conn.configure(s);
    this.chatOn = s.chat !== 'off';
    this.promptFormat = s.promptFormat;
    this.ignored = new Set(ignoredNames(s.ignore));
    this.repromptOn = s.prompt === 'always' || (s.prompt === 'auto' && !this.scripted);
  }

  private settingsText(s: PlayerSettings): string {
    const r = this.conn.rendering;
    const color = r.color === 'none' ? 'no colour' : r.color === '256' ? '256 colours' : '16 colours';
    return `Settings: ${describeSettings(s)}.\nYou are on ${this.conn.clientSummary}: ${color}, ${r.width ? `wrapped at ${r.width} columns` : 'wrapped by your client'}${r.screenReader ? ', screen reader mode' : ''}.\nChange with: ${CONFIG_USAGE}`;
  }
}

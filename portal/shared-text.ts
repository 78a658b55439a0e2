import { encodeTelnetText } from './telnet/telnet-text.js';
import type { Rendering } from './client-profile.js';
import { renderText } from './text-render.js';

/** One line for many sessions (a room's emote to 1,000 guests): rendered and
 *  encoded once per distinct rendering (colour depth, width) on first use,
 *  then the same string or bytes are queued on every connection. */
export class SharedText {
  readonly line: string;
  /** The first rendering asked for, and the rest: most rooms see one or two. */
  private first: Rendered | undefined;
  private others: Map<string, Rendered> | undefined;

  constructor(text: string) {
    this.line = text.endsWith('\n') ? text : `${text}\n`;
  }

  text(r: Rendering): string {
    return this.entry(r).text;
  }

  telnetBytes(r: Rendering): Buffer {
    const entry = this.entry(r);
    entry.telnet ??= encodeTelnetText(entry.text);
    return entry.telnet;
  }

  private entry(r: Rendering): Rendered {
    if (this.first?.key === r.key) return this.first;
    if (!this.first) return (this.first = { key: r.key, text: renderText(this.line, r) });
    this.others ??= new Map();
    let entry = this.others.get(r.key);
    if (!entry) this.others.set(r.key, (entry = { key: r.key, text: renderText(this.line, r) }));
    return entry;
  }
}

interface Rendered {
  key: string;
  text: string;
  telnet?: Buffer;
}

import type { Kind } from '../core/kind.js';
import type { Json, Msg, Ref, TurnCtx } from '../core/types.js';
import { displayName } from '../commands/matching.js';
import { styled } from '../core/text-style.js';
import { channelText } from '../core/client-data.js';

// A global channel (`chat`) as a game object: one turn per line, which keeps
// the last lines for `history` and releases one `broadcast` effect. The
// gateway fans that out to its own sessions that listen, so a line crosses the
// lattice once per gateway whatever the dispatch mode (docs/architecture/channels.md).

export const CHAT: Ref = 'channel/chat';

/** Lines a channel keeps for `history`. */
export const HISTORY_LINES = 20;

interface Line {
  at: number;
  text: string;
  [key: string]: Json;
}

export interface ChannelState {
  history: Line[];
  [key: string]: Json | undefined;
}

type Handler = (s: ChannelState, m: Msg, ctx: TurnCtx) => ChannelState | void;

const nameOfChannel = (ref: Ref) => ref.slice('channel/'.length);

const handlers: Record<string, Handler> = {
  chat(s, m, ctx) {
    const channel = nameOfChannel(ctx.self);
    const text = `[${channel}] ${displayName(m.player as Ref)}: ${m.text as string}`;
    ctx.broadcast(channel, styled('channel', text), channelText(channel, m.player as Ref, text));
    return { ...s, history: [...s.history, { at: ctx.now(), text }].slice(-HISTORY_LINES) };
  },
  history(s, m, ctx) {
    const channel = nameOfChannel(ctx.self);
    if (!s.history.length) return ctx.tell(m.player as Ref, `Nothing has been said on ${channel} yet.`);
    const lines = s.history.map((l) => `${clock(l.at)} ${l.text}`);
    ctx.tell(m.player as Ref, `The last ${s.history.length === 1 ? 'line' : `${s.history.length} lines`} on ${channel} (up to ${HISTORY_LINES} are kept):\n${styled('channel', lines.join('\n'))}`);
  },
};

/** "14:05" in UTC: the gateway and its players may be anywhere. */
function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 16);
}

export const channelKind: Kind<ChannelState> = {
  name: 'channel',
  init: () => ({ history: [] }),
  handle(state, msg, ctx) {
    const handler = handlers[msg.type];
    return handler ? handler(state, msg, ctx) : undefined;
  },
  here: (s) => ({ lines: s.history.length }),
};

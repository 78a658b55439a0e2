// The same session as telnet, over WebSocket at /play: text frames in, text
// frames out, the prompt as a frame of its own, echo changes as control frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startTestServer, type TestServer } from './helpers/test-server.js';

class WsPlayer {
  private frames: string[] = [];
  private waiters: Array<() => void> = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      this.frames.push(d.toString());
      for (const w of this.waiters.splice(0)) w();
    });
  }
  static async open(port: number): Promise<WsPlayer> {
    // Listen before 'open': the welcome may ride in the same packet as the handshake.
    const player = new WsPlayer(new WebSocket(`ws://127.0.0.1:${port}/play`));
    await new Promise((r, j) => player.ws.once('open', r).once('error', j));
    return player;
  }
  /** Frames up to (not including) the next prompt frame, joined; control frames kept apart. */
  async answer(prompt = '> '): Promise<string> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const at = this.frames.indexOf(prompt);
      if (at >= 0) {
        const out = this.frames.splice(0, at + 1).slice(0, -1);
        return out.filter((f) => !f.startsWith('\u0000')).join('');
      }
      if (Date.now() > deadline) throw new Error(`no prompt; frames: ${JSON.stringify(this.frames)}`);
      await new Promise<void>((r) => { this.waiters.push(r); setTimeout(r, 100); });
    }
  }
  async command(line: string, prompt = '> '): Promise<string> {
    this.ws.send(line);
    return this.answer(prompt);
  }
  get controlFrames(): string[] { return this.frames.filter((f) => f.startsWith('\u0000')); }
}

describe('websocket play', () => {
  let server: TestServer;
  beforeAll(async () => { server = await startTestServer(); });
  afterAll(async () => { await server?.cleanup(); });

  it('ws - create, chest, sword, magic sword, and a second player sees say and emote', async () => {
    const alice = await WsPlayer.open(server.httpPort);
    expect(await alice.answer('By what name shall you be known? ')).toMatch(/lattice-mud/);
    expect(await alice.command('create alice secret')).toMatch(/Welcome, Alice\.[\s\S]*The Mystical Plaza/);
    const bob = await WsPlayer.open(server.httpPort);
    await bob.answer('By what name shall you be known? ');
    await bob.command('create bob secret');
    await alice.command('look');
    expect(await alice.command("'hi bob")).toBe('You say, "hi bob"\n');
    expect(await bob.command('look')).toMatch(/Alice says, "hi bob"/);
    await alice.command(':bows');
    expect(await bob.command('look')).toMatch(/Alice bows/);
    await alice.command('e');
    expect(await alice.command('open chest')).toBe('You open the iron-bound chest.\n');
    expect(await alice.command('take sword from chest')).toBe('You take a fine steel sword from the iron-bound chest.\n');
    expect(await alice.command('get magic_sword from chest')).toBe('You take a rune-etched sword from the iron-bound chest.\n');
    expect(await alice.command('wield magic_sword')).toMatch(/hums/);
    expect(await alice.command('inventory')).toBe('You are carrying:\n  a fine steel sword\n  a rune-etched sword (wielded)\n');
    alice.ws.close();
    bob.ws.close();
  });

  it('ws - the password prompt turns echo off and back on', async () => {
    const p = await WsPlayer.open(server.httpPort);
    await p.answer('By what name shall you be known? ');
    await p.command('Gwen', 'There is no one called Gwen here. Make a new character by that name? (yes, or Enter to choose again) ');
    await p.command('yes', 'Choose a password for Gwen (Enter to go back): ');
    expect(p.controlFrames).toEqual([]);
    await p.command('hunter22', 'Confirm the password: ');
    expect(await p.command('hunter22')).toMatch(/Welcome, Gwen/);
    p.ws.close();
  });

  it('ws - restart keeps what the player carries', async () => {
    await server.stop();
    server = await startTestServer({ dataDir: server.dataDir });
    const alice = await WsPlayer.open(server.httpPort);
    await alice.answer('By what name shall you be known? ');
    await alice.command('connect alice secret');
    expect(await alice.command('i')).toBe('You are carrying:\n  a fine steel sword\n  a rune-etched sword (wielded)\n');
    expect(await alice.command('look chest')).toMatch(/Inside you see a slightly damaged steel sword\./);
    alice.ws.close();
  });
});

// tintin++, a real MUD client, driven under tmux as a person would: connect,
// create a character, walk, and read the room and its colours back from the
// pane (capture-pane -e keeps the escape codes). tintin++ sends TTYPE/MTTS and
// NAWS itself, so this checks the server's colour and wrapping choices end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/test-server.js';
import { plain, TintinPane, tintinMissing } from './helpers/tintin-pane.js';

const WIDTH = 90;
const missing = tintinMissing();
const skip = missing.length > 0 && process.env.CI !== 'true';
if (skip) console.warn(`test/tintin.test.ts skipped: no ${missing.join(' or ')} (Debian packages tintin++, tmux; under CI=true this is a failure)`);

describe.skipIf(skip)('tintin++ under tmux', () => {
  let server: TestServer;
  let tt: TintinPane;
  beforeAll(async () => {
    if (missing.length) throw new Error(`CI=true but ${missing.join(' and ')} missing`);
    server = await startTestServer();
    tt = await TintinPane.start('lattice-tintin', WIDTH);
  });
  afterAll(async () => {
    tt?.stop();
    await server?.cleanup();
  });

  it('tintin - connects, creates a character, walks east and sees the room in colour, wrapped to the window', async () => {
    tt.type(`#session mud 127.0.0.1 ${server.telnetPort}`);
    await tt.waitFor((t) => t.includes('By what name shall you be known?'), 'the login prompt');
    tt.type('create tinny secret');
    await tt.waitFor((t) => plain(t).includes('Exits: north, east, west, south.'), 'the plaza');
    tt.type('east');
    const text = await tt.waitFor((t) => plain(t).includes('You see an iron-bound chest'), 'the armory');
    const lines = text.split('\n');
    const title = lines.find((l) => plain(l).startsWith('The Old Armory'))!;
    // tintin++ announces 256 colours (MTTS): the room name comes in its 256-colour style, exits and items too.
    expect(title).toMatch(/\u001b\[(1;)?38;5;81m|\u001b\[1m\u001b\[38;5;81m/);
    const exits = lines.find((l) => plain(l).startsWith('Exits: west.'))!;
    expect(exits).toContain('\u001b[38;5;114mwest');
    expect(lines.find((l) => plain(l).startsWith('You see an iron-bound chest'))).toContain('\u001b[38;5;221man iron-bound chest');
    // The description is one paragraph wrapped to the window that tintin++ reported (NAWS), not at 72.
    const armory = plain(text).split('The Old Armory').pop()!.split('\n');
    const description = armory.slice(1, armory.findIndex((l) => l.startsWith('Exits:')));
    expect(description.length).toBeGreaterThan(1);
    for (const l of description) expect(l.length).toBeLessThanOrEqual(WIDTH);
    expect(Math.max(...description.map((l) => l.length))).toBeGreaterThan(72);
  });
});

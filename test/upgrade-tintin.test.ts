// `mud upgrade` seen from tintin++, a real MUD client under tmux: the session survives the hand-over
// (tintin++ never says the session died), the player sees one shimmer, the new build answers, and what
// tintin++ negotiated (MTTS 256 colours, NAWS width) holds on the same socket.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from './helpers/server-process.js';
import { copiedBuild, requestUpgrade, stopPid } from './helpers/upgrade-builds.js';
import { plain, TintinPane, tintinMissing } from './helpers/tintin-pane.js';
import { PACKAGE_ROOT } from '../support/paths.js';
import { SHIMMER } from '../portal/handover.js';

const WIDTH = 90;
const NEW_SAVE = 'The new build answers: there is no need to save.';
const missing = tintinMissing();
const skip = missing.length > 0 && process.env.CI !== 'true';
if (skip) console.warn(`test/upgrade-tintin.test.ts skipped: no ${missing.join(' or ')} (Debian packages tintin++, tmux; under CI=true this is a failure)`);

const count = (text: string, part: string): number => text.split(part).length - 1;

describe.skipIf(skip)('mud upgrade under tintin++', () => {
  let dir: string;
  let server: ServerProcess | undefined;
  let successor: number | undefined;
  let tt: TintinPane | undefined;
  let build: ReturnType<typeof copiedBuild>;

  beforeAll(() => {
    if (missing.length) throw new Error(`CI=true but ${missing.join(' and ')} missing`);
    dir = mkdtempSync(join(tmpdir(), 'mud-upgrade-tt-'));
    build = copiedBuild('upgrade-tintin', { 'portal/session-commands.js': ['There is no need: the world keeps your character and what you carry as you play, after every change.', NEW_SAVE] });
  });

  afterAll(async () => {
    tt?.stop();
    await stopPid(successor);
    if (server) {
      await server.stop();
      writeFileSync(join(PACKAGE_ROOT, 'test', 'artifacts', 'upgrade-tintin-server.log'), server.log());
    }
    build?.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('upgrade - tintin++ keeps its session: one shimmer, the new build answers, colours and width as negotiated', async () => {
    server = await spawnServer(['--data-dir', dir, '--nodes', '1'], { MUD_UPGRADE_ENTRY: build.entry });
    tt = await TintinPane.start('lattice-upgrade-tt', WIDTH);
    tt.type(`#session mud 127.0.0.1 ${server.telnetPort}`);
    await tt.waitFor((t) => t.includes('By what name shall you be known?'), 'the login prompt');
    tt.type('create tessa secret');
    await tt.waitFor((t) => plain(t).includes('Exits: north, east, west, south.'), 'the plaza');
    tt.type('east');
    await tt.waitFor((t) => plain(t).includes('You see an iron-bound chest'), 'the armory');

    const { status, body } = await requestUpgrade(server.adminPort, dir);
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body).toMatchObject({ ok: true, players: 1 });
    successor = body.pid;
    await tt.waitFor((t) => t.includes(SHIMMER), 'the shimmer');

    tt.type('save');
    await tt.waitFor((t) => t.includes(NEW_SAVE), 'the new build to answer');
    const before = plain(tt.text()).length;
    tt.type('look');
    const text = await tt.waitFor((t) => plain(t).length > before && plain(t).slice(before - 200).includes('You see an iron-bound chest'), 'the armory again');
    const shown = plain(text);
    expect(count(shown, SHIMMER)).toBe(1);
    expect(shown).not.toMatch(/#SESSION '?mud'? DIED/i);
    // Still the 256-colour room title (MTTS) and the description wrapped to tintin++'s width (NAWS).
    const lines = text.split('\n');
    const title = lines.filter((l) => plain(l).startsWith('The Old Armory')).at(-1)!;
    expect(title).toMatch(/\u001b\[(1;)?38;5;81m|\u001b\[1m\u001b\[38;5;81m/);
    const armory = shown.split('The Old Armory').pop()!.split('\n');
    const description = armory.slice(1, armory.findIndex((l) => l.startsWith('Exits:')));
    expect(description.length).toBeGreaterThan(1);
    for (const l of description) expect(l.length).toBeLessThanOrEqual(WIDTH);
    expect(Math.max(...description.map((l) => l.length))).toBeGreaterThan(72);
  }, 120_000);
});

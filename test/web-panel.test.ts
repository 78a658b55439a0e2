// The browser client's side panel and colour, in a real Chromium: the page
// negotiates the structured WebSocket protocol, shows the room, its exits as
// buttons (a shut door on its exit's), who is here and the inventory, the map (the `map` command's columns, and
// the panel's drawing of nearby rooms, a shut door's way dashed), renders ANSI colour, wraps to its
// own width, and stays usable at phone size. Screenshots land in test/artifacts.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WAIT, command, typeLine, waitForLine, waitForPrompt } from './helpers/browser.js';
import { startServer } from '../bin/server.js';
import type { RunningServer } from '../bin/server-options.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { silentLogger } from '../support/logger.js';

const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (skip) console.warn(`test/web-panel.test.ts skipped: no Chromium at ${CHROMIUM} (under CI=true this is a failure)`);

const panelText = (page: Page, id: string): Promise<string> => page.locator(`#${id}`).innerText();

/** The rooms the panel's map draws, as their titles read. */
const mapRooms = (page: Page): Promise<string[]> => page.locator('#map rect.map-room title').allTextContents();

async function waitForPanel(page: Page, id: string, text: string): Promise<void> {
  await page.locator(`#${id}`, { hasText: text }).waitFor({ timeout: WAIT });
}

describe.skipIf(skip)(skip ? `web side panel (skipped: no Chromium at ${CHROMIUM})` : 'web side panel in Chromium', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  let dataDir = '';
  let userDataDir = '';
  let base = '';
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`CI=true but Chromium is not installed at ${CHROMIUM}`);
    dataDir = await mkdtemp(join(tmpdir(), 'lattice-panel-data-'));
    userDataDir = await mkdtemp(join(tmpdir(), 'lattice-panel-chromium-'));
    server = await startServer({
      host: '127.0.0.1', telnetPort: 0, httpPort: 0, adminPort: 0, world: DEFAULT_WORLD, dataDir, dispatch: 'in-process', log: silentLogger(), kdfCost: 1024,
    });
    base = `http://127.0.0.1:${server.httpPort}`;
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM, args: CHROMIUM_ARGS, viewport: { width: 1100, height: 720 }, colorScheme: 'light',
    });
    page = await context.newPage();
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    await mkdir(ARTIFACTS, { recursive: true });
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await server?.close();
    if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('panel - a new character sees the room, its exits and the people here; text is coloured', async () => {
    await page.goto(`${base}/`);
    await waitForPrompt(page, /^By what name shall you be known\? $/);
    expect(await page.locator('#panel').isHidden()).toBe(true);
    await typeLine(page, 'create paneller secret1');
    await waitForLine(page, 'Welcome, Paneller.');
    await waitForPanel(page, 'room-name', 'The Mystical Plaza');
    expect(await panelText(page, 'room-area')).toBe('The Lantern Quarter');
    const exits = await page.locator('#exits button.exit').allInnerTexts();
    expect(exits).toEqual(['north', 'east', 'west', 'south']);
    expect(await panelText(page, 'people')).toBe('Nobody else');
    expect(await panelText(page, 'inventory')).toBe('Nothing');
    expect(await panelText(page, 'things')).toContain('a marble fountain');
    // The map of nearby rooms: the plaza in the middle, marked, with its four neighbours joined to it.
    await page.locator('#map svg rect.map-room.here').waitFor({ timeout: WAIT });
    expect(await mapRooms(page)).toEqual(expect.arrayContaining(['The Mystical Plaza', 'The Old Armory', 'The Lantern Market', 'The Moonlit Garden', 'The Old Library (also u)']));
    expect(await page.locator('#map rect.map-room.here title').textContent()).toBe('The Mystical Plaza');
    expect(await page.locator('#map line.map-way').count()).toBeGreaterThanOrEqual(4);
    expect(await page.locator('#map svg').getAttribute('aria-label')).toMatch(/^Map: you are in The Mystical Plaza; /);
    // Health from Char.Vitals: the numbers, a gauge, and what the character is doing.
    await waitForPanel(page, 'hp-text', '100/100');
    expect(await page.locator('#hp-bar').getAttribute('value')).toBe('100');
    await command(page, 'rest', 'You sit down and rest.');
    await waitForPanel(page, 'hp-doing', 'Resting');
    await waitForPrompt(page, /^100\/100hp resting> $/);
    await typeLine(page, 'stand');
    await waitForLine(page, 'You stand up.');
    await page.locator('#hp-doing:empty').waitFor({ state: 'attached', timeout: WAIT });
    // The room name arrives in colour (a themed class), never as raw escape codes.
    const title = page.locator('#output .line span.ansi-36', { hasText: 'The Mystical Plaza' }).first();
    await title.waitFor({ timeout: WAIT });
    expect(await page.locator('#output').innerText()).not.toContain('\u001b');
    // Descriptions come as paragraphs the page wraps itself: one line element, no hard breaks.
    const paragraph = await page.locator('#output .line', { hasText: 'Cobblestones worn smooth' }).first().innerText();
    expect(paragraph).toContain('Paper lanterns hang on strings');
  });

  it('panel - clicking an exit walks; taking the sword shows it in the inventory and the panel', async () => {
    await waitForPrompt(page, /^> $/);
    await page.getByRole('button', { name: 'Go east' }).click();
    await waitForPanel(page, 'room-name', 'The Old Armory');
    await waitForLine(page, 'The Old Armory');
    await waitForLine(page, '> east'); // the click is echoed like a typed command
    expect(await page.locator('#exits button.exit').allInnerTexts()).toEqual(['west']);
    await command(page, 'open chest', 'You open the iron-bound chest.');
    await command(page, 'take sword from chest', 'You take a fine steel sword');
    await waitForPanel(page, 'inventory', 'a fine steel sword');
    await command(page, 'inventory', 'You are carrying:');
    await waitForLine(page, '  a fine steel sword');
    await command(page, 'wield sword', 'You wield');
    await waitForPanel(page, 'inventory', 'a fine steel sword (wielded)');
    await command(page, 'drop sword', 'You drop');
    await waitForPanel(page, 'things', 'a fine steel sword');
    await waitForPanel(page, 'inventory', 'Nothing');
    await command(page, 'take sword', 'You take');
    // A shut door shows on its exit's button, for this side and, on the far side, for whoever is there.
    await command(page, 'close door', 'You close the heavy oak door.');
    await page.locator('#exits button.exit.shut', { hasText: 'west (closed)' }).waitFor({ timeout: WAIT });
    // On the map, the armory is now the marked room, and its way west, behind the shut door, is dashed.
    expect(await page.locator('#map rect.map-room.here title').textContent()).toBe('The Old Armory');
    await page.locator('#map line.map-way.shut').waitFor({ state: 'attached', timeout: WAIT });
    expect(await page.locator('#map line.map-way.shut').count()).toBe(1);
    await page.locator('#map').screenshot({ path: join(ARTIFACTS, 'web-panel-map-door-shut.png') });
    expect(await page.getByRole('button', { name: 'Go west, through a closed door' }).count()).toBe(1);
    await command(page, 'open west', 'You open the heavy oak door.');
    await page.locator('#exits button.exit:not(.shut)', { hasText: /^west$/ }).waitFor({ timeout: WAIT });
    await page.locator('#map line.map-way.shut').waitFor({ state: 'detached', timeout: WAIT });
    // The map keeps its columns in the browser: one line per row, spaces kept.
    await command(page, 'map', '  @ The Old Armory (you)');
    const row = await page.locator('#output .line', { hasText: '[A]----[@]' }).last().innerText();
    expect(row).toBe('  [C]----[A]----[@]');
    await page.screenshot({ path: join(ARTIFACTS, 'web-panel-desktop.png') });
  });

  it('panel - another player arriving and leaving shows in "People here"', async () => {
    const guest = new WebSocket(`ws://127.0.0.1:${server!.httpPort}/play`, ['lattice-mud.v1']);
    await new Promise((r) => guest.once('open', r));
    const frames: string[] = [];
    guest.on('message', (d) => frames.push(String(d)));
    guest.send('\u0000gmcp Core.Supports.Set ["Room 1"]');
    // In the world once the first game prompt (a frame of its own) comes.
    const welcomed = new Promise<void>((resolve) => guest.on('message', (d) => String(d) === '> ' && resolve()));
    guest.send('create visitor secret1');
    await welcomed;
    guest.send('east');
    await waitForLine(page, 'Visitor arrives');
    await waitForPanel(page, 'people', 'Visitor');
    guest.send('west');
    await waitForPanel(page, 'people', 'Nobody else');
    guest.close();
    // The guest asked for Room only, as GMCP clients do: no Char or Comm frames came, and no frame was shown as text.
    const packages = frames.filter((f) => f.startsWith('\u0000gmcp ')).map((f) => f.split(' ')[1]);
    expect(packages).toContain('Room.Info');
    expect(packages.filter((p) => !p.startsWith('Room.'))).toEqual([]);
    expect(frames.join('')).not.toMatch(/Unknown command "gmcp/);
  });

  it('phone - at 390x844 the story, the room, its exits and the input all fit on screen', async () => {
    const phone = await context!.newPage();
    await phone.setViewportSize({ width: 390, height: 844 });
    await phone.goto(`${base}/`);
    await waitForPrompt(phone, /^By what name shall you be known\? $/);
    await typeLine(phone, 'connect paneller secret1');
    await waitForPanel(phone, 'room-name', 'The Old Armory');
    await waitForPrompt(phone, /^> $/);
    for (const selector of ['#output', '#room-name', '#exits button.exit', '#command', 'button.send']) {
      const box = await phone.locator(selector).first().boundingBox();
      expect(box, selector).not.toBeNull();
      expect(box!.x, selector).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width, selector).toBeLessThanOrEqual(390);
      expect(box!.y + box!.height, selector).toBeLessThanOrEqual(844);
    }
    expect((await phone.locator('#output').boundingBox())!.height).toBeGreaterThan(250);
    const scrollWidth = await phone.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth).toBeLessThanOrEqual(390);
    expect(await phone.locator('#details').getAttribute('open')).toBeNull(); // lists folded away on a phone
    await phone.getByRole('button', { name: 'Go west' }).click();
    await waitForPanel(phone, 'room-name', 'The Mystical Plaza');
    await phone.screenshot({ path: join(ARTIFACTS, 'web-panel-phone.png') });
    await phone.close();
    expect(problems).toEqual([]);
  });

  it('plain - a WebSocket client that does not ask for the protocol gets plain text and no data frames', async () => {
    const plain = new WebSocket(`ws://127.0.0.1:${server!.httpPort}/play`);
    const frames: string[] = [];
    plain.on('message', (d) => frames.push(String(d)));
    await new Promise((r) => plain.once('open', r));
    expect(plain.protocol).toBe('');
    plain.send('create plainweb secret1');
    plain.send('look');
    const deadline = Date.now() + WAIT;
    while (!frames.join('').includes('Exits:') && Date.now() < deadline) await new Promise((r) => plain.once('message', r));
    const all = frames.join('');
    expect(all).toContain('The Mystical Plaza');
    expect(all).not.toContain('\u001b');
    expect(all).not.toContain('\u0000gmcp');
    plain.close();
  });
});

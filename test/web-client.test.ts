// The browser play client (web/) end to end in a real Chromium: the page is
// served by the game's HTTP server, logs in over WebSocket /play, masks
// passwords, shows chat from another player, and plays a little.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, WAIT, command, inputType, lineCount, scrollbackText, typeLine, waitForLine, waitForPrompt } from './helpers/browser.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../bin/server.js';
import type { RunningServer } from '../bin/server-options.js';
import { DEFAULT_WORLD } from '../support/paths.js';
import { silentLogger } from '../support/logger.js';

const skip = !existsSync(CHROMIUM) && process.env.CI !== 'true';
if (skip) console.warn(`test/web-client.test.ts skipped: no Chromium at ${CHROMIUM} (under CI=true this is a failure)`);

describe.skipIf(skip)(skip ? `web client in Chromium (skipped: no Chromium at ${CHROMIUM})` : 'web client in Chromium', () => {
  let server: RunningServer | undefined;
  let context: BrowserContext | undefined;
  let dataDir = '';
  let userDataDir = '';
  let base = '';
  let alice: Page;
  let bob: Page;
  const problems: string[] = [];

  const watch = (page: Page, who: string): Page => {
    page.on('pageerror', (err) => problems.push(`${who}: page error: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`${who}: console error: ${msg.text()}`);
    });
    return page;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`CI=true but Chromium is not installed at ${CHROMIUM}`);
    dataDir = await mkdtemp(join(tmpdir(), 'lattice-web-data-'));
    userDataDir = await mkdtemp(join(tmpdir(), 'lattice-web-chromium-'));
    server = await startServer({
      host: '127.0.0.1', telnetPort: 0, httpPort: 0, adminPort: 0, world: DEFAULT_WORLD, dataDir,
      dispatch: 'in-process', log: silentLogger(), kdfCost: 1024,
    });
    base = `http://127.0.0.1:${server.httpPort}`;
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      viewport: { width: 1100, height: 720 },
      colorScheme: 'light',
    });
    alice = watch(await context.newPage(), 'alice');
    bob = watch(await context.newPage(), 'bob');
  });

  afterAll(async () => {
    try {
      if (alice && !alice.isClosed()) {
        await mkdir(ARTIFACTS, { recursive: true });
        await alice.screenshot({ path: join(ARTIFACTS, 'web-client.png') });
      }
    } finally {
      await context?.close().catch(() => undefined);
      await server?.close();
      if (userDataDir) await rm(userDataDir, { recursive: true, force: true });
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('serves the client files with their content types', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await page.text();
    expect(html).not.toMatch(/https?:\/\//); // nothing from outside web/
    for (const [path, type] of [['/client.js', /^text\/javascript/], ['/style.css', /^text\/css/]] as const) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toMatch(type);
    }
  });

  it('shows an accessible page that connects and asks for a name', async () => {
    await alice.goto(`${base}/`);
    await expect(alice.title()).resolves.toBe('lattice-mud');
    const log = alice.getByRole('log');
    await expect(log.getAttribute('aria-live')).resolves.toBe('polite');
    await alice.locator('#status[data-state="open"]').waitFor({ timeout: WAIT });
    await waitForLine(alice, 'lattice-mud');
    await waitForPrompt(alice, /^By what name shall you be known\? $/);
    // The input line is labelled, focused, and a plain text field.
    const input = alice.getByLabel('Command');
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await expect(inputType(alice)).resolves.toBe('text');
    // No control frame ever reaches the screen.
    expect(await scrollbackText(alice)).not.toContain('\u0000');
    expect(await scrollbackText(alice)).not.toContain('echo:');
  });

  it('logs in interactively with the password typed into a masked field', async () => {
    const password = 'tr0ub4dor-xyzzy';
    await typeLine(alice, 'alice');
    await waitForPrompt(alice, /^There is no one called Alice here\. Make a new character by that name\? \(yes, or Enter to choose again\) $/);
    await typeLine(alice, 'yes');
    await waitForPrompt(alice, /^Choose a password for Alice \(Enter to go back\): $/);
    await expect(inputType(alice)).resolves.toBe('password');
    await expect(alice.getByLabel('Password').count()).resolves.toBe(1);
    await typeLine(alice, password);
    await waitForPrompt(alice, /^Confirm the password: $/);
    await expect(inputType(alice)).resolves.toBe('password');
    await typeLine(alice, password);
    await waitForLine(alice, 'Welcome, Alice.');
    await waitForPrompt(alice, /^> $/);
    await expect(inputType(alice)).resolves.toBe('text');
    await expect(alice.locator('#command').inputValue()).resolves.toBe('');

    const text = await scrollbackText(alice);
    expect(text).not.toContain(password);
    expect(await alice.evaluate(() => document.body.innerText)).not.toContain(password);
    // The name was echoed (dimmed), the password prompts were, the passwords were not.
    await expect(alice.locator('#output > .line.echo', { hasText: /known\? alice$/ }).count()).resolves.toBe(1);
    await expect(alice.locator('#output > .line.echo', { hasText: 'Choose a password for Alice (Enter to go back):' }).count()).resolves.toBe(1);

    await command(alice, 'look', 'The Mystical Plaza');
    await waitForLine(alice, '> look'); // local echo of the command, after its prompt
  });

  it('logs a second player in with one line and relays speech between them', async () => {
    await bob.goto(`${base}/`);
    await waitForPrompt(bob, /^By what name shall you be known\? $/);
    await typeLine(bob, 'create bob secret1');
    await waitForLine(bob, 'Welcome, Bob.');
    await waitForPrompt(bob, /^> $/);
    expect(await scrollbackText(bob)).not.toContain('secret1');

    const since = await lineCount(bob);
    await command(alice, 'say Hello there, Bob!', 'You say, "Hello there, Bob!"');
    await waitForLine(bob, 'Alice says, "Hello there, Bob!"', since);
  });

  it('walks to the armory and takes a sword from the chest', async () => {
    await command(alice, 'east', 'The Old Armory');
    await command(alice, 'open chest', 'You open the iron-bound chest.');
    await command(alice, 'take sword from chest', 'You take a fine steel sword');
    await waitForPrompt(alice, /^> $/);
    const since = await lineCount(alice);
    await command(alice, 'inventory', 'You are carrying:');
    await waitForLine(alice, 'a fine steel sword', since);

    // Command history: Up walks back through what was typed, Down returns.
    const input = alice.locator('#command');
    await input.press('ArrowUp');
    await expect(input.inputValue()).resolves.toBe('inventory');
    await input.press('ArrowUp');
    await expect(input.inputValue()).resolves.toBe('take sword from chest');
    await input.press('ArrowDown');
    await input.press('ArrowDown');
    await expect(input.inputValue()).resolves.toBe('');

    // The scrollback followed the output down.
    const gap = await alice.locator('#output').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight);
    expect(gap).toBeLessThan(30);
  });

  it('shows a disconnect and reconnects on request', async () => {
    await command(bob, 'quit', 'Farewell');
    await bob.locator('#status[data-state="closed"]').waitFor({ timeout: WAIT });
    const reconnect = bob.getByRole('button', { name: 'Reconnect' });
    await reconnect.waitFor({ state: 'visible', timeout: WAIT });
    const since = await lineCount(bob);
    await reconnect.click();
    await bob.locator('#status[data-state="open"]').waitFor({ timeout: WAIT });
    await waitForLine(bob, 'lattice-mud', since);
    await waitForPrompt(bob, /^By what name shall you be known\? $/);
    await expect(reconnect.isHidden()).resolves.toBe(true);
  });

  it('follows the colour scheme and logged no errors', async () => {
    const background = (): Promise<string> => alice.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await background();
    await alice.emulateMedia({ colorScheme: 'dark' });
    const dark = await background();
    await alice.emulateMedia({ colorScheme: 'light' });
    expect(dark).not.toBe(light);
    expect(problems).toEqual([]);
  });
});

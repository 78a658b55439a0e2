// Driving the browser client in a real Chromium as a player would.
import { join } from 'node:path';
import type { Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
export const ARTIFACTS = join(import.meta.dirname, '..', 'artifacts');
export const WAIT = 10_000;

/** Lines of the scrollback from index `since` on, whose text contains `text`. */
export async function waitForLine(page: Page, text: string, since = 0): Promise<void> {
  await page.locator(`#output > .line:nth-child(n+${since + 1})`, { hasText: text }).first().waitFor({ timeout: WAIT });
}

export async function lineCount(page: Page): Promise<number> {
  return page.locator('#output > .line').count();
}

export async function waitForPrompt(page: Page, pattern: RegExp): Promise<void> {
  await page.waitForFunction(
    (source) => new RegExp(source).test(document.getElementById('prompt')?.textContent ?? ''),
    pattern.source,
    { timeout: WAIT },
  );
}

/** Types a line into the input and presses Enter, as a player would. */
export async function typeLine(page: Page, line: string): Promise<void> {
  const input = page.getByLabel(/^(Command|Password)$/);
  await input.fill('');
  await input.pressSequentially(line);
  await input.press('Enter');
}

/** Sends a command at the game prompt and waits for an answer containing `expected`. */
export async function command(page: Page, line: string, expected: string): Promise<void> {
  await waitForPrompt(page, /^> $/);
  const since = await lineCount(page);
  await typeLine(page, line);
  await waitForLine(page, expected, since);
}

export const inputType = (page: Page): Promise<string> => page.locator('#command').evaluate((el) => (el as HTMLInputElement).type);
export const scrollbackText = (page: Page): Promise<string> => page.locator('#output').evaluate((el) => el.textContent ?? '');


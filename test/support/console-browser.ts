// Debian's Chromium driven by playwright-core, as the browser tests and the console bench use it:
// headless, no sandbox (root), no background networking, and a HOME of its own.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

export async function launchChromium(): Promise<{ browser: Browser; home: string; close(): Promise<void> }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-chromium-home-'));
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage'],
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home },
  });
  return {
    browser,
    home,
    async close() {
      await browser.close();
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Controls (input, select, textarea) that no label, aria-label or aria-labelledby names. */
export function unlabelledControls(page: Page): Promise<string[]> {
  // A string runs in the page; Berth's own TypeScript has no DOM library.
  return page.evaluate<string[]>(`Array.from(document.querySelectorAll('input, select, textarea'))
    .filter((el) => el.type !== 'hidden')
    .filter((el) => !(el.labels && el.labels.length > 0) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
    .map((el) => el.outerHTML.slice(0, 120))`);
}

/** Evaluates an expression in the page (as text: Berth's tsconfig has no DOM library). */
export function inPage<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

// README screenshots from the console's browser tests: written into docs/screenshots/ only when
// BERTH_SCREENSHOTS=1, so ordinary runs leave the checkout alone.
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';

const screenshotsDir = process.env.BERTH_SCREENSHOTS ? path.resolve(import.meta.dirname, '../../docs/screenshots') : null;

export async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  if (!screenshotsDir) return;
  fs.mkdirSync(screenshotsDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotsDir, `${name}.png`), fullPage });
}

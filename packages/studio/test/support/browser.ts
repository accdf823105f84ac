import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM = process.env.ORKA_TEST_CHROMIUM ?? '/usr/bin/chromium';

/** Where the browser tests leave their screenshots (a test artifact; the README's pictures come from here). */
export const SHOTS = join(import.meta.dirname, '..', '..', '..', '..', '.ci-results', 'studio');

/** Headless Chromium with the flags this machine's closed network needs; fails saying how to get it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install Debian's package (apt-get install chromium), or set ORKA_TEST_CHROMIUM to a ` +
        `Chromium binary. The Studio's browser tests never download a browser.`,
    );
  }
  mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { STUDIO_TOKEN } from '../../sample-app/src/studio/studio-token.guard.js';
import { launchChromium, SHOTS } from '../../packages/studio/test/support/browser.js';
import { startApp, type RunningApp } from './support/app.js';

// V1-V4 on the sample app, in Debian's headless Chromium: the Studio at /orka behind the demo's token
// guard, its two founding pipelines drawn, an order followed live and one approved by clicking. The
// screenshots are the README's pictures.

jest.setTimeout(60_000);

let running: RunningApp;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  running = await startApp();
  browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  // Opened once with the token, as `npm start` prints it: the guard then sets its cookie.
  await page.goto(`${running.url}/orka?token=${STUDIO_TOKEN}#/pipelines`);
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
});

const order = (items: { sku: string; quantity: number }[]) =>
  fetch(`${running.url}/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: 'c-studio', tier: 'vip', items, paymentMethod: 'card' }),
  });

describe('Orka Studio on the sample app', () => {
  it('V5 without the token the Studio answers 403', async () => {
    expect((await fetch(`${running.url}/orka/api/pipelines`)).status).toBe(403);
  });

  it('V1 draws both founding pipelines: onboarding with its provisioning branches, checkout with its approval and payment routing', async () => {
    await page.locator('svg[aria-label="pipeline onboarding"]').waitFor();
    await page.locator('svg[aria-label="pipeline checkout"]').waitFor();
    const onboarding = page.locator('[data-pipeline="onboarding"]');
    expect(await onboarding.textContent()).toContain('premium_provisioning');
    expect(await onboarding.locator('polygon[data-step="follow_up"]').count()).toBe(1);
    const checkout = page.locator('[data-pipeline="checkout"]');
    expect(await checkout.locator('polygon[data-step="approval"]').count()).toBe(1);
    expect(await checkout.textContent()).toContain('waits for approval');
    await page.screenshot({ path: join(SHOTS, 'sample-pipelines.png'), fullPage: true });
  });

  it('V2 V3 V4 an order above the limit appears in the list without a reload, waits, and is approved by clicking', async () => {
    await page.goto(`${running.url}/orka#/`);
    await page.locator('#live.on').waitFor();
    const placed = await order([
      { sku: 'sku-2', quantity: 100 },
      { sku: 'sku-2', quantity: 100 },
      { sku: 'sku-1', quantity: 1 },
    ]);
    expect(placed.status).toBe(202);
    const { runId } = (await placed.json()) as { runId: string };
    await page.locator(`tr[data-run="${runId}"] .status.waiting`).waitFor();
    await page.screenshot({ path: join(SHOTS, 'sample-runs.png'), fullPage: true });
    await page.locator(`tr[data-run="${runId}"] a`).click();
    await page.locator('#send-signal').waitFor();
    expect(await page.locator('#waiting').textContent()).toContain('waits at approval for signal approval');
    await page.screenshot({ path: join(SHOTS, 'sample-run-waiting.png'), fullPage: true });
    await page.fill('#signal-payload', '{"approved": true, "by": "studio"}');
    await page.click('#send-signal');
    await page.locator('#run-status .status.completed').waitFor();
    expect(await page.locator('#timeline tr[data-step="process_payment"] .status').textContent()).toBe(
      'completed',
    );
    await page.screenshot({ path: join(SHOTS, 'sample-run-completed.png'), fullPage: true });
  });
});

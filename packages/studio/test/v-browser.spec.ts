import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { PipelineRunner } from '@orka/nestjs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium, SHOTS } from './support/browser.js';
import { TOKEN, studioApp } from './support/studio-app.js';

// V1-V5 in real headless Chromium: what an operator sees and does. Every wait is on the page's state
// (a selector, a text), never on time.

jest.setTimeout(60_000);

let app: INestApplication;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const errors: string[] = [];

beforeAll(async () => {
  ({ app, url } = await studioApp());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.addCookies([{ name: 'studio_token', value: TOKEN, url }]);
  page = await context.newPage();
  page.on('pageerror', (err) => errors.push(err.message));
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

const post = (path: string, body: unknown) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('Orka Studio in the browser', () => {
  it('V1 the pipelines page draws every pipeline, the wait as its own shape', async () => {
    await page.goto(`${url}/orka#/pipelines`);
    await page.locator('svg[aria-label="pipeline ticket"]').waitFor();
    await page.locator('svg[aria-label="pipeline quote"]').waitFor();
    const ticket = page.locator('[data-pipeline="ticket"]');
    for (const step of ['open', 'approval', 'close'])
      expect(await ticket.locator(`[data-step="${step}"]`).count()).toBe(1);
    expect(await ticket.locator('polygon[data-step="approval"]').count()).toBe(1);
    expect(await ticket.textContent()).toContain('waits for approved');
    await page.screenshot({ path: join(SHOTS, 'studio-pipelines.png'), fullPage: true });
  });

  it('V2 V3 a run started over HTTP appears in the list without a reload, and its page shows where it is', async () => {
    await page.goto(`${url}/orka#/`);
    await page.locator('#live.on').waitFor();
    const { runId } = (await (await post('/tickets', { title: 'printer on fire' })).json()) as {
      runId: string;
    };
    const row = page.locator(`tr[data-run="${runId}"]`);
    await row.waitFor();
    await row.locator('.status.waiting').waitFor();
    await page.screenshot({ path: join(SHOTS, 'studio-runs.png'), fullPage: true });
    await row.locator('a').click();
    await page.locator('#run-status .status.waiting').waitFor();
    expect(await page.locator('#waiting').textContent()).toContain('waits at approval for signal approved');
    expect(await page.locator('#timeline tr[data-step="open"] .status').textContent()).toBe('completed');
    expect(await page.locator('#run-diagram [data-step="approval"]').getAttribute('class')).toContain(
      'current',
    );
    expect(await page.locator('#context').textContent()).toContain('printer on fire');
    await page.screenshot({ path: join(SHOTS, 'studio-run-waiting.png'), fullPage: true });
  });

  it('V4 N11 a waiting run is approved by clicking: an invalid payload is shown inline, a valid one completes the run', async () => {
    const { runId } = (await (await post('/tickets', { title: 'needs a yes' })).json()) as { runId: string };
    const runner = app.get(PipelineRunner);
    while ((await runner.get(runId))?.status !== 'waiting') await new Promise((r) => setTimeout(r, 10));
    await page.goto(`${url}/orka#/runs/${runId}`);
    await page.locator('#send-signal').waitFor();
    await page.fill('#signal-payload', '{"by": 7}');
    await page.click('#send-signal');
    await page.locator('#signal-error', { hasText: 'by must be a string' }).waitFor();
    expect((await runner.get(runId))!.status).toBe('waiting');
    await page.fill('#signal-payload', '{"by": "ops"}');
    await page.click('#send-signal');
    await page.locator('#run-status .status.completed').waitFor();
    expect(await page.locator('#timeline tr[data-step="close"] .status').textContent()).toBe('completed');
    expect((await runner.result<{ approvedBy: string }>(runId)).context.approvedBy).toBe('ops');
    await page.screenshot({ path: join(SHOTS, 'studio-run-completed.png'), fullPage: true });
  });

  it('V4 D7 a run is cancelled by clicking', async () => {
    const { runId } = (await (await post('/tickets', { title: 'never mind' })).json()) as { runId: string };
    await page.goto(`${url}/orka#/runs/${runId}`);
    await page.locator('#cancel-run').waitFor();
    await page.click('#cancel-run');
    await page.locator('#run-status .status.cancelled').waitFor();
    expect((await app.get(PipelineRunner).get(runId))!.status).toBe('cancelled');
  });

  it('V5 a context full of markup is shown as text: nothing of it runs', async () => {
    const probe = '<img src=x onerror="window.__orkaXss=1"><script>window.__orkaXss=2</script>';
    const { runId } = (await (await post('/tickets', { title: probe, note: '<b>bold?</b>' })).json()) as {
      runId: string;
    };
    await page.goto(`${url}/orka#/runs/${runId}`);
    // The previous test's run page stays on screen until this run's view has loaded: wait for this one.
    await page.locator('#context', { hasText: 'onerror' }).waitFor();
    expect(await page.locator('#context').textContent()).toContain(JSON.stringify(probe));
    await page.goto(`${url}/orka#/`);
    await page.locator(`tr[data-run="${runId}"]`).waitFor();
    expect(await page.evaluate(() => (window as { __orkaXss?: number }).__orkaXss)).toBeUndefined();
    expect(await page.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});

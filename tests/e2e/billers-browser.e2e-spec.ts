/**
 * In a real browser: a host app (this test, on its own 127.0.0.1 port, with
 * `jose` and the participant's keys only) builds the launch URL and frames NPI Billers; headless
 * Chromium fills a biller form; the host page receives `submit_form_payload`, whose data the host
 * decrypts and verifies with `jose`. The same URL framed by an unregistered origin is refused by the
 * browser (CSP frame-ancestors).
 *
 * Needs Chromium: /usr/bin/chromium (Debian's `chromium` package) or CHROMIUM_PATH. Without it the
 * suite is skipped with a message (CI images that do not install it).
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { ManualClock } from '@npi/service-runtime';
import { freePort } from '@npi/testing';
import type { RunningService } from '@npi/service-runtime';
import {
  billersKeys,
  hostApp,
  launchPath,
  launchQuery,
  openNpiObject,
  registerHostApp,
  startSessionService,
} from '../../apps/session-service/test/support/billers-harness';
import type { BillersKeysForTest, HostApp } from '../../apps/session-service/test/support/billers-harness';

const executablePath = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].find((candidate) => candidate && fs.existsSync(candidate));
if (!executablePath) {
  process.stdout.write('billers-browser.e2e-spec: SKIPPED, no Chromium found (install Debian\'s `chromium` or set CHROMIUM_PATH)\n');
}
const describeWithBrowser = executablePath ? describe : describe.skip;

interface HostMessage {
  origin: string;
  data: { session_id: string; type: string; data: unknown };
}

/** The host app's page: frames the launch URL and records every message it receives. */
function hostPage(src: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>Host app</title></head><body>
<h1>Bank host app</h1>
<iframe id="billers" src="${src.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}" width="480" height="640"></iframe>
<script>
window.received = [];
window.addEventListener('message', function (event) { window.received.push({ origin: event.origin, data: event.data }); });
</script></body></html>`;
}

async function startHost(pageFor: () => string): Promise<{ server: http.Server; origin: string }> {
  const port = await freePort();
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(pageFor());
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describeWithBrowser('NPI Billers in headless Chromium, framed by a host app', () => {
  let keys: BillersKeysForTest;
  let service: RunningService;
  let host: HostApp;
  let billerCodes: string[];
  let context: BrowserContext;
  let userDataDir: string;
  let registeredPort: number;
  let registered: { server: http.Server; origin: string };
  let unregistered: { server: http.Server; origin: string };
  let currentSrc = 'about:blank';
  const clock = new ManualClock(new Date());

  beforeAll(async () => {
    keys = billersKeys();
    service = await startSessionService(keys, { clock });
    registeredPort = await freePort();
    host = hostApp([`http://127.0.0.1:${registeredPort}`]);
    billerCodes = await registerHostApp(service, keys, host);
    registered = { server: http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }); res.end(hostPage(currentSrc)); }), origin: host.origins[0] };
    await new Promise<void>((resolve) => registered.server.listen(registeredPort, '127.0.0.1', resolve));
    unregistered = await startHost(() => hostPage(currentSrc));
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'billers-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => registered?.server.close(resolve));
    await new Promise((resolve) => unregistered?.server.close(resolve));
    await service?.stop();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  }, 60_000);

  async function messages(page: Page): Promise<HostMessage[]> {
    return page.evaluate(() => (globalThis as unknown as { received: HostMessage[] }).received);
  }

  async function waitForMessage(page: Page, type: string): Promise<HostMessage> {
    await page.waitForFunction((t) => (globalThis as unknown as { received: HostMessage[] }).received.some((m) => m.data && m.data.type === t), type, { timeout: 30_000 });
    return (await messages(page)).find((m) => m.data.type === type) as HostMessage;
  }

  it('posts submit_form_payload to the registered host, whose backend opens it with jose', async () => {
    const query = await launchQuery(host, keys, { landing_page: 'biller_group', biller_group: 'Telecom', lang: 'en' });
    currentSrc = `${service.url}${launchPath(query)}`;
    const page = await context.newPage();
    await page.goto(registered.origin);
    const frame = page.frameLocator('#billers');
    await frame.locator(`button[data-biller="${billerCodes[0]}"]`).click();
    await frame.locator('#f-mobile').fill('12');
    await frame.locator('#f-amount').fill('250');
    await frame.locator('#next').click();
    await expectText(frame.locator('#e-mobile'), /Invalid/);
    await frame.locator('#f-mobile').fill('9841000000');
    await frame.locator('#next').click();
    await frame.locator('#confirm').click();

    const message = await waitForMessage(page, 'submit_form_payload');
    expect(message.origin).toBe(new URL(service.url).origin);
    expect(message.data.session_id).toBe(query.session_id);
    const { payload } = await openNpiObject(message.data.data as string, host, keys);
    expect(payload).toMatchObject({
      cipsBatchDetail: { batchAmount: 250, batchCrncy: 'NPR', debtorAccount: '' },
      cipsTransactionDetail: { amount: 250, refId: '9841000000', appId: 'NPI-NTC-APP-1' },
    });
    await frame.locator('[data-state="submitted"]').waitFor();
    await page.close();
  }, 90_000);

  it('posts error messages to the host with display_error=host_app', async () => {
    const query = await launchQuery(host, keys, { display_error: 'host_app', display_mode: 'dark' });
    currentSrc = `${service.url}${launchPath(query)}`;
    const page = await context.newPage();
    await page.goto(registered.origin);
    await page.frameLocator('#billers').locator('button[data-biller]').first().waitFor();
    // The same URL again: the session exists, so NPI Billers answers 601 and tells the host.
    await page.reload();
    const message = await waitForMessage(page, 'error');
    expect(message.data).toMatchObject({ session_id: query.session_id, type: 'error', data: { type: 'error', code: '601' } });
    await page.close();
  }, 90_000);

  it('posts session_expire when the session has ended (injected clock)', async () => {
    const query = await launchQuery(host, keys, { landing_page: 'biller_form', biller_code: billerCodes[1] });
    currentSrc = `${service.url}${launchPath(query)}`;
    const page = await context.newPage();
    await page.goto(registered.origin);
    const frame = page.frameLocator('#billers');
    await frame.locator('#f-username').fill('subscriber-7');
    await frame.locator('#f-amount').fill('999.99');
    await frame.locator('#next').click();
    clock.advance(3600 * 1000 + 1);
    try {
      await frame.locator('#confirm').click();
      const message = await waitForMessage(page, 'session_expire');
      expect(message.data).toEqual({ session_id: query.session_id, type: 'session_expire', data: null });
      expect((await messages(page)).some((m) => m.data.type === 'submit_form_payload')).toBe(false);
    } finally {
      clock.advance(-(3600 * 1000 + 1));
    }
    await page.close();
  }, 90_000);

  it('in a mobile WebView (channel=mob), hands messages to the app\'s onMessageListen JavaScript interface', async () => {
    const query = await launchQuery(host, keys, { channel: 'mob', os: 'android', landing_page: 'biller_form', biller_code: billerCodes[0], lang: 'ne' });
    const page = await context.newPage();
    // What Android's addJavascriptInterface(new JsObject(), "ANDROID") exposes (integration section 5.1).
    await page.addInitScript(() => {
      const g = globalThis as unknown as { received: string[]; ANDROID: { onMessageListen(message: string): string } };
      g.received = [];
      g.ANDROID = { onMessageListen: (message: string) => { g.received.push(message); return ''; } };
    });
    await page.goto(`${service.url}${launchPath(query)}`);
    await page.locator('#f-mobile').fill('9812345678');
    await page.locator('#f-amount').fill('75');
    await page.locator('#next').click();
    await page.locator('#confirm').click();
    await page.waitForFunction(() => (globalThis as unknown as { received: string[] }).received.length > 0, undefined, { timeout: 30_000 });
    const [raw] = await page.evaluate(() => (globalThis as unknown as { received: string[] }).received);
    const message = JSON.parse(raw) as { session_id: string; type: string; data: string };
    expect(message).toMatchObject({ session_id: query.session_id, type: 'submit_form_payload' });
    const { payload } = await openNpiObject(message.data, host, keys);
    expect(payload).toMatchObject({ cipsTransactionDetail: { amount: 75, refId: '9812345678' }, fieldLabelMapping: [{ fieldName: 'mobile', fieldLabel: 'मोबाइल नम्बर', mapField: 'refId' }, { fieldName: 'amount', fieldLabel: 'रकम (रु)', mapField: 'amount' }] });
    await page.close();
  }, 90_000);

  it('is refused by the browser when framed by an unregistered origin', async () => {
    const query = await launchQuery(host, keys);
    currentSrc = `${service.url}${launchPath(query)}`;
    const page = await context.newPage();
    const refusal = page.waitForEvent('console', { predicate: (entry) => /frame-ancestors/i.test(entry.text()), timeout: 30_000 });
    await page.goto(unregistered.origin);
    const report = await refusal;
    expect(report.text()).toContain(new URL(service.url).origin);
    // Chromium replaces a refused frame's document: nothing of the Billers page is in it.
    const frame = page.frames().find((f) => f !== page.mainFrame());
    const content = frame ? await frame.content().catch(() => '') : '';
    expect(content).not.toContain('npi-billers-config');
    expect(content).not.toContain('data-biller');
    expect(await messages(page)).toEqual([]);
    await page.close();
  }, 90_000);
});

async function expectText(locator: Locator, pattern: RegExp): Promise<void> {
  await locator.filter({ hasText: pattern }).waitFor({ timeout: 10_000 });
}

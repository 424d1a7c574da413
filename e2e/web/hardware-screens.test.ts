import { mkdirSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { startPtyPair, type PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { FakePrinter } from '../../src-main/printer/testing/fake-printer.ts';
import { screenshot } from './browser.ts';
import { logIn, logOut, openScreen, scanAll, shotMatrix, text, wait } from './office-helpers.ts';

/** A label printer on loopback that takes bytes and answers nothing (no ~HS): the station cannot confirm a label. */
function silentPrinter(): Promise<{
  server: Server;
  port: number;
  received: () => string;
  close: () => void;
}> {
  let bytes = '';
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => (bytes += chunk.toString('latin1')));
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({
        server,
        port,
        received: () => bytes,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      });
    }),
  );
}

/**
 * The admin's scale and printer settings, and the labels in look-up, against a real `baglink serve` in Chromium:
 * a refused port and a refused printer address are shown as the station's sentences, saved devices appear in the
 * header, a parent's label preview is an image for anyone, and only a supervisor may reprint; a printer that says
 * nothing about its labels is never shown as having printed one.
 */
describe('scale and label printer screens', () => {
  let station: WebStation;
  let scalePty: PtyPair;
  let printer: Awaited<ReturnType<typeof silentPrinter>>;
  let page: Page;

  beforeAll(async () => {
    station = await startWebStation();
    const dir = join(station.dataDir, 'scale-pty');
    mkdirSync(dir);
    scalePty = await startPtyPair(dir);
    printer = await silentPrinter();
    page = station.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    // A weighing that gets no reading gives up after 3 s, so the label test can put it off.
    const admin = await station.served.call('auth.login', people.admin);
    expect(admin.ok).toBe(true);
    const profile = await station.served.call('settings.update', { profile: { weighTimeoutMs: 3000 } });
    expect(profile.ok).toBe(true);
    await station.served.call('auth.logout', {});
    await logIn(page, people.admin);
    await page.getByTestId('scanner-pill').filter({ hasText: '1/1' }).waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    printer?.close();
    await station?.close();
  });

  it('saves the scale and the printer from settings, and shows refusals as sentences', async () => {
    await openScreen(page, 'settings');
    const scaleForm = page.getByTestId('scale-form');
    // The scanner's port is taken: the station says so.
    await scaleForm.locator('input[name="scalePath"]').fill(station.pair.station);
    await scaleForm.locator('select[name="scaleProtocol"]').selectOption('sics');
    await page.getByTestId('scale-save').click();
    await text(scaleForm.locator('.error-line')).toContain('is already used by');
    await scaleForm.locator('input[name="scalePath"]').fill(scalePty.station);
    await page.getByTestId('scale-save').click();
    await text(page.getByTestId('scale-done')).toBe('Scale saved: the station uses it now.');
    await page.getByTestId('scale-chip').waitFor();

    const printerForm = page.getByTestId('printer-form');
    await printerForm.locator('select[name="printerKind"]').selectOption('tcp');
    await printerForm.locator('input[name="printerHost"]').fill('not a host!');
    await page.getByTestId('printer-save').click();
    await text(printerForm.locator('.error-line')).toContain('The request is not valid');
    await printerForm.locator('input[name="printerHost"]').fill('127.0.0.1');
    await printerForm.locator('input[name="printerPort"]').fill(String(printer.port));
    await printerForm.locator('select[name="printerLayout"]').selectOption('4x2in');
    await page.getByTestId('printer-save').click();
    await text(page.getByTestId('printer-done')).toBe('Label printer saved: the station uses it now.');
    await page.getByTestId('printer-chip').waitFor();
    await text(page.getByTestId('printer-queue')).toContain('Waiting');

    const saved = await station.served.call('hardware.get', {});
    expect(saved.value.scale).toMatchObject({ path: scalePty.station, protocol: 'sics' });
    expect(saved.value.printer).toMatchObject({
      connection: { kind: 'tcp', host: '127.0.0.1', port: printer.port },
      layout: '4x2in',
    });
    await shotMatrix(page, 'settings-hardware', [{ width: 1366, height: 768 }]);
  }, 90_000);

  it('prints a completed parent and shows its label as sent, unconfirmed, never as printed', async () => {
    // No scale reading will come (nothing plays the scale): put the weighing off, the label prints anyway.
    await logOut(page);
    await logIn(page, people.dock);
    await scanAll(station, page, ['SB20001', 'CHILD9001', 'CHILD9002']);
    station.scan('CMD-COMPLETE');
    const panel = page.getByTestId('weighing');
    await expect.poll(() => panel.getAttribute('data-phase'), { ...wait, timeout: 30_000 }).toBe('refused');
    await page.getByTestId('weigh-later').click();
    await expect.poll(() => panel.getAttribute('data-phase'), wait).toBe('later');
    await expect.poll(() => printer.received(), { ...wait, timeout: 30_000 }).toContain('SB20001');
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('SB20001');
    await page.locator('input[name="code"]').press('Enter');
    const labels = page.getByTestId('labels');
    await expect
      .poll(async () => {
        await page.getByTestId('screen-lookup').locator('form button[type="submit"]').first().click();
        return (await labels.locator('tbody tr').first().getAttribute('data-state')) ?? '';
      }, wait)
      .toBe('sent_unconfirmed');
    const row = (await labels.locator('tbody tr').first().textContent()) ?? '';
    expect(row).toContain('Sent, unconfirmed');
    expect(row).not.toMatch(/printed/i);
    // A dock worker may preview the label, not reprint it.
    expect(await page.getByTestId('label-reprint').count()).toBe(0);
    await page.getByTestId('label-preview').click();
    const image = page.getByTestId('label-preview-image').locator('img');
    await image.waitFor();
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    await expect
      .poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), wait)
      .toBeGreaterThan(0);
    await screenshot(page, 'lookup-labels-dock-1366-en');
  }, 90_000);

  it('lets a supervisor reprint a label from look-up', async () => {
    await logOut(page);
    await logIn(page, { username: people.supervisor.username, password: people.supervisor.password });
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('SB20001');
    await page.locator('input[name="code"]').press('Enter');
    const before = printer.received().split('SB20001').length;
    await page.getByTestId('label-reprint').click();
    await text(page.getByTestId('lookup-done')).toBe('The label of SB20001 is queued for printing.');
    await expect.poll(() => printer.received().split('SB20001').length, wait).toBeGreaterThan(before);
    await text(page.getByTestId('labels').locator('tbody tr').first()).toContain('Reprint');
    await shotMatrix(page, 'lookup-labels-supervisor', [{ width: 1366, height: 768 }]);
  }, 90_000);

  it('says in the header when the printer is out of labels, and how many labels wait', async () => {
    const zebra = new FakePrinter();
    zebra.problems = ['paper_out'];
    const port = await zebra.listen();
    try {
      const call = async (method: string, args: unknown) => {
        const answer = await station.served.call(method, args);
        expect(answer.ok, `${method}: ${answer.error?.message}`).toBe(true);
      };
      await call('auth.login', people.admin);
      await call('hardware.configure', {
        scale: null,
        printer: { connection: { kind: 'tcp', host: '127.0.0.1', port }, layout: '100x150mm', dpi: 203 },
      });
      await call('auth.login', people.dock);
      const chip = page.getByTestId('printer-chip');
      await expect.poll(() => chip.getAttribute('data-state'), { ...wait, timeout: 30_000 }).toBe('problem');
      expect(await chip.textContent()).toContain('Printer: out of labels');
      await openScreen(page, 'scan');
      await scanAll(station, page, ['SB20002', 'CHILD9003']);
      await page.getByTestId('complete-parent').click();
      await text(chip).toContain('1 label waiting');
      await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });
      await screenshot(page, 'header-printer-paper-out-1366-en');
      expect(zebra.labels()).toEqual([]);
      // A new roll: the waiting label prints by itself and the chip says ready.
      zebra.problems = [];
      await expect.poll(() => zebra.labels().length, { ...wait, timeout: 30_000 }).toBe(1);
      await text(chip).toBe('Printer ready');
    } finally {
      await zebra.close();
    }
  }, 120_000);
});

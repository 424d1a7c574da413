import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stationSaveFileChannel } from './preload-bridge.ts';
import { wireSaveFile } from './save-file.ts';
import { fail, ok } from '../../src-shared/result.ts';
import type { ShellFrame } from './electron-types.ts';
import { FakeDialog, FakeIpcMain, FakeWebContents, FakeWindow, frame } from './testing/fake-electron.ts';

let dir: string;
let ipcMain: FakeIpcMain;
let dialog: FakeDialog;
let window: FakeWindow;
const log: string[] = [];
const pdf = Buffer.from('%PDF-1.7 dispatch note DN-2026-0042');
const file = {
  fileName: 'bill-DN-2026-0042.pdf',
  mimeType: 'application/pdf',
  dataBase64: pdf.toString('base64'),
};

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'baglink-save-'));
  ipcMain = new FakeIpcMain();
  dialog = new FakeDialog();
  window = new FakeWindow({});
  await window.loadURL('app://station/');
  wireSaveFile({ ipcMain, dialog, window: () => window, log: (l) => log.push(l) });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A request from anywhere but the station window's top frame. */
const refused = {
  ok: false,
  error: { code: 'save_refused', message: expect.stringMatching(/Only the station window/) },
};

const save = (arg: unknown, sender = window.webContents, senderFrame: ShellFrame | null = sender.mainFrame) =>
  ipcMain.invoke(sender, senderFrame, stationSaveFileChannel, arg);

describe('saving an export from the desktop app', () => {
  it('asks with a save dialog and writes the bytes to the chosen path', async () => {
    dialog.answer = join(dir, 'chosen.pdf');
    expect(await save(file)).toEqual(ok({ path: dialog.answer }));
    expect(readFileSync(dialog.answer)).toEqual(pdf);
    expect(dialog.asked).toHaveLength(1);
    expect(dialog.asked[0]!.window).toBe(window);
    expect(dialog.asked[0]!.options).toEqual({
      defaultPath: 'bill-DN-2026-0042.pdf',
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
  });

  it('writes owner-only through a temporary file, and refuses a symlink instead of writing through it', async () => {
    dialog.answer = join(dir, 'chosen.pdf');
    await save(file);
    expect(statSync(dialog.answer).mode & 0o777).toBe(0o600);
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    dialog.answer = join(dir, 'link.pdf');
    symlinkSync(victim, dialog.answer);
    expect(await save(file)).toMatchObject({
      ok: false,
      error: { code: 'export_target_invalid', message: expect.stringMatching(/it is not an ordinary file/) },
    });
    expect(lstatSync(dialog.answer).isSymbolicLink()).toBe(true);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(readdirSync(dir).filter((f) => f.endsWith('.part'))).toEqual([]);
  });

  it('offers the CSV and Excel filters from the mime type', async () => {
    dialog.answer = join(dir, 'bill.csv');
    await save({ ...file, fileName: 'bill.csv', mimeType: 'text/csv; charset=utf-8' });
    dialog.answer = join(dir, 'bill.xlsx');
    await save({
      ...file,
      fileName: 'bill.xlsx',
      mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    expect(dialog.asked.map((a) => a.options.filters)).toEqual([
      [{ name: 'CSV', extensions: ['csv'] }],
      [{ name: 'Excel', extensions: ['xlsx'] }],
    ]);
  });

  it('writes nothing when the dialog is cancelled', async () => {
    dialog.answer = undefined;
    expect(await save(file)).toEqual(fail('save_cancelled'));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a foreign frame or another window without showing a dialog', async () => {
    dialog.answer = join(dir, 'x.pdf');
    const child = frame('app://station/', window.webContents.mainFrame);
    expect(await save(file, window.webContents, child)).toMatchObject(refused);
    const foreign = frame('https://evil.example/');
    expect(await save(file, window.webContents, foreign)).toMatchObject(refused);
    const other = new FakeWebContents('app://station/');
    expect(await save(file, other)).toMatchObject(refused);
    expect(await save(file, window.webContents, null)).toMatchObject(refused);
    expect(dialog.asked).toEqual([]);
    expect(existsSync(dialog.answer)).toBe(false);
    expect(log.filter((l) => l.includes('refused'))).toHaveLength(4);
  });

  it('refuses a bad argument without showing a dialog', async () => {
    dialog.answer = join(dir, 'x.pdf');
    const bad: unknown[] = [
      undefined,
      'bill.pdf',
      { ...file, fileName: '../../.bashrc' },
      { ...file, fileName: 'C:\\Windows\\win.ini' },
      { ...file, fileName: '' },
      { ...file, fileName: 'a\nb.pdf' },
      { ...file, mimeType: 'text/html' },
      { ...file, mimeType: 'constructor' },
      { ...file, dataBase64: 'not base64!' },
      { ...file, dataBase64: 42 },
      { ...file, dataBase64: 'A'.repeat(140 * 1024 * 1024) },
    ];
    for (const arg of bad) {
      expect(await save(arg)).toMatchObject({
        ok: false,
        error: {
          code: expect.stringMatching(/^save_(not_export|bad_name|damaged)$/),
          message: expect.stringMatching(/export/i),
        },
      });
    }
    expect(dialog.asked).toEqual([]);
    expect(readdirSync(dir)).toEqual([]);
  });
});

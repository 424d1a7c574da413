import { isAbsolute } from 'node:path';
import { writeExportFile } from '../export/file-target.ts';
import { close, put } from '../export/output.ts';
import type { ShellDialog, ShellIpcMain, ShellWindow } from './electron-types.ts';
import type { SavedFile } from '../../src-shared/bridge.ts';
import { StationError } from '../../src-shared/errors.ts';
import { fail, failWith, ok, type Result } from '../../src-shared/result.ts';
import { stationSaveFileChannel } from './preload-bridge.ts';
import { isTrustedSender } from './security.ts';
import { exportFormats, formatOfMimeType, type ExportFile } from '../../src-shared/export-formats.ts';

/** Far above the largest export (a 15,000-child bill PDF is a few MB), small enough to hold in memory. */
export const maxSaveBytes = 100 * 1024 * 1024;
const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

export interface SaveFileOptions {
  ipcMain: ShellIpcMain;
  dialog: ShellDialog;
  /** The app window: the only sender allowed, and the dialog's parent. */
  window(): ShellWindow | undefined;
  write?(path: string, bytes: Buffer): Promise<void>;
  log(line: string): void;
}

/**
 * `window.station.saveFile` in the main process: a save dialog for an exported file, then the bytes written to
 * the path the person chose, and nowhere else. Only the app's top frame may ask; the file is checked first.
 */
export function wireSaveFile(options: SaveFileOptions): { close(): void } {
  const write = options.write ?? writeSaved;
  options.ipcMain.handle(stationSaveFileChannel, async (event, arg): Promise<Result<SavedFile>> => {
    const window = options.window();
    if (!isTrustedSender(event) || window === undefined || event.sender.id !== window.webContents.id) {
      options.log(`save: request from ${event.senderFrame?.url.slice(0, 200) ?? 'a gone frame'} refused`);
      return fail('save_refused');
    }
    const file = checkFile(arg);
    if (!file.ok) return file;
    const { fileName, mimeType, dataBase64 } = file.value;
    const choice = await options.dialog.showSaveDialog(window, {
      defaultPath: fileName,
      filters: [filterFor(mimeType)!],
    });
    if (choice.canceled || !choice.filePath) return fail('save_cancelled');
    if (!isAbsolute(choice.filePath)) return fail('save_no_place');
    try {
      await write(choice.filePath, Buffer.from(dataBase64, 'base64'));
    } catch (e) {
      if (e instanceof StationError) return failWith(e);
      return fail('save_failed', { detail: e instanceof Error ? e.message : String(e) });
    }
    options.log(`save: ${fileName} saved`);
    return ok({ path: choice.filePath });
  });
  return { close: () => options.ipcMain.removeHandler(stationSaveFileChannel) };
}

/** As `baglink export --out`: owner-only, through a temporary file, never through a link, pipe or device. */
async function writeSaved(path: string, bytes: Buffer): Promise<void> {
  await writeExportFile(path, async (out) => {
    await put(out, bytes);
    await close(out);
  });
}

/** The dialog's file-type filter for a format the station exports (src-shared/export-formats.ts), by MIME type. */
function filterFor(mimeType: string) {
  const format = formatOfMimeType(mimeType);
  return format && { name: format.dialogName, extensions: [format.extension] };
}

function checkFile(arg: unknown): Result<ExportFile> {
  const { fileName, mimeType, dataBase64 } = (typeof arg === 'object' && arg !== null ? arg : {}) as Record<
    string,
    unknown
  >;
  if (typeof mimeType !== 'string' || filterFor(mimeType) === undefined) {
    return fail('save_not_export', {
      formats: exportFormats.map((f) => f.extension.toUpperCase()).join(', '),
    });
  }
  // Just a name: a path in it would point the dialog somewhere the person did not pick.
  if (
    typeof fileName !== 'string' ||
    fileName.length === 0 ||
    fileName.length > 200 ||
    /[/\\:]/.test(fileName) ||
    [...fileName].some((c) => c.charCodeAt(0) < 0x20) ||
    fileName.startsWith('.')
  ) {
    return fail('save_bad_name');
  }
  if (
    typeof dataBase64 !== 'string' ||
    dataBase64.length % 4 !== 0 ||
    dataBase64.length > Math.ceil(maxSaveBytes / 3) * 4 ||
    !base64.test(dataBase64)
  ) {
    return fail('save_damaged');
  }
  return ok({ fileName, mimeType, dataBase64 });
}

import { randomBytes } from 'node:crypto';
import {
  closeSync,
  createWriteStream,
  fsyncSync,
  lstatSync,
  openSync,
  renameSync,
  rmSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { StationError } from '../../src-shared/errors.ts';
import { diskError } from '../store/disk-errors.ts';

function existing(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** Only a new name or an ordinary file is replaced: never a symlink, a fifo, a device, a socket or a folder. */
function checkTarget(path: string): void {
  const stat = existing(path);
  if (stat && !stat.isFile()) throw new StationError('export_target_invalid', { path });
}

/** A new file beside the target, made by this call alone (O_EXCL: a link planted at the name is not followed). */
function openPart(path: string): { part: string; fd: number } {
  const folder = dirname(path);
  const part = join(folder, `.${basename(path)}.${randomBytes(6).toString('hex')}.part`);
  try {
    return { part, fd: openSync(part, 'wx', 0o600) };
  } catch (e) {
    const disk = diskError(e, folder);
    if (disk) throw disk;
    const err = e as NodeJS.ErrnoException;
    throw new StationError('export_folder_unwritable', { folder, detail: err.code ?? err.message });
  }
}

/**
 * Writes an export into a temporary file in the target's folder and renames it onto the target when it is
 * complete and on disk, so a half-written export (a full disk, a refused bill) never looks like a finished one
 * and nothing but an ordinary file or a new name is ever replaced. Every stream error becomes a thrown error
 * of this call, never an unhandled 'error' event.
 */
export async function writeExportFile<T>(target: string, run: (out: Writable) => Promise<T>): Promise<T> {
  const path = resolve(target);
  checkTarget(path);
  const { part, fd } = openPart(path);
  const out = createWriteStream(part, { fd, autoClose: false });
  let streamError: Error | null = null;
  out.on('error', (e) => (streamError ??= e));
  let open = true;
  try {
    const done = await run(out);
    if (!out.writableFinished) await finished(out);
    if (streamError) throw streamError;
    fsyncSync(fd);
    closeSync(fd);
    open = false;
    checkTarget(path);
    try {
      renameSync(part, path);
    } catch (e) {
      // A sticky folder whose file is another user's, a read-only mount: one sentence, not a stack.
      const err = e as NodeJS.ErrnoException;
      throw new StationError('export_folder_unwritable', {
        folder: dirname(path),
        detail: err.code ?? err.message,
      });
    }
    return done;
  } catch (e) {
    // Destroying the stream closes its descriptor, even with autoClose off.
    if (open) {
      out.destroy();
      await finished(out).catch(() => {});
    }
    rmSync(part, { force: true });
    throw diskError(e, dirname(path)) ?? e;
  }
}

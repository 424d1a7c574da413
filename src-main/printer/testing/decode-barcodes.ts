import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DecodedBarcodes {
  code128: string[];
  qr: string[];
}

/** Reads every barcode in a PNG with zbarimg (Debian's zbar-tools), as a scanner at the dock would. */
export async function decodeBarcodes(png: Buffer): Promise<DecodedBarcodes> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-label-'));
  const file = path.join(dir, 'label.png');
  fs.writeFileSync(file, png);
  try {
    // zbarimg exits 4 when it finds no barcode: that is an answer (none), not a failure of the tool.
    const { stdout } = await run('zbarimg', ['-q', file]).catch(
      (error: { code?: number; stdout?: string }) => {
        if (error.code === 4) return { stdout: '' };
        throw error;
      },
    );
    const found: DecodedBarcodes = { code128: [], qr: [] };
    for (const line of stdout.split('\n')) {
      if (line.startsWith('CODE-128:')) found.code128.push(line.slice('CODE-128:'.length));
      if (line.startsWith('QR-Code:')) found.qr.push(line.slice('QR-Code:'.length));
    }
    return found;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

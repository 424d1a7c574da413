import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Electron binary to run, if this machine has one: ELECTRON_PATH, else the one `npm ci` downloads into
 * node_modules/electron/dist (absent when installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1).
 */
export function findElectronBinary(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.ELECTRON_PATH) return existsSync(env.ELECTRON_PATH) ? env.ELECTRON_PATH : undefined;
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

export const noElectronSentence =
  'The Electron binary is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD=1, or set ELECTRON_PATH), so the station runs in the browser instead.';

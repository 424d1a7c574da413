import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { isRendererStale } from '../../src-main/cli/renderer-build.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDist = join(root, 'dist-renderer');
const lock = join(root, 'node_modules/.cache/baglink-renderer-build.lock');

function isStale(): boolean {
  return isRendererStale(root);
}

/**
 * Builds the renderer with Vite when dist-renderer is missing or older than its sources, so `npm test` stays one
 * command. A lock folder keeps two test files (or a test and the bench) from building at the same time.
 */
export async function ensureRendererBuilt(): Promise<void> {
  if (!isStale()) return;
  mkdirSync(join(lock, '..'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`The renderer build lock ${lock} is held: remove it if no build runs.`);
      await sleep(200);
    }
  }
  try {
    if (!isStale()) return;
    const { build } = await import('vite');
    await build({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.ts';

/**
 * `npm run test:fast`: the inner loop. Every test that needs none of PostgreSQL, Chromium or socat (the full
 * `npm test`, which CI runs, runs them all). A test needs one when its imports reach the helper that starts
 * it; the walk below finds them, so a new test lands in the right tier without a list to keep.
 */
const startsOutside: Record<string, string> = {
  'src-main/central/scratch-db.ts': 'PostgreSQL',
  'src-main/central/private-cluster.ts': 'PostgreSQL',
  'src-main/central/testing/pgbouncer.ts': 'PostgreSQL',
  'src-main/sync/testing/stations.ts': 'PostgreSQL',
  'src-main/bench/chromium.ts': 'Chromium',
  'src-main/scanner/pty-pair.ts': 'socat',
};
/** Tests that start one from a child process: Electron (its Chromium), `bench --central private` (a cluster). */
const spawnsOutside = ['src-main/bench/central-bench.test.ts', 'e2e/electron/**'];
/**
 * Too slow for the inner loop though they need nothing outside: e2e/api starts `baglink serve` and CLI processes
 * (about two minutes of CPU between them), bundle.test.ts runs esbuild over the whole product.
 */
const processTests = ['e2e/api/**', 'src-main/electron/bundle.test.ts'];

const root = import.meta.dirname;
const importPattern = /^\s*(?:import|export)\s[^'"]*?from\s+'(\.[^']+)'/gm;

function reachesOutside(file: string, seen = new Set<string>()): boolean {
  if (seen.has(file)) return false;
  seen.add(file);
  if (relative(root, file) in startsOutside) return true;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return false;
  }
  return [...text.matchAll(importPattern)].some((m) => reachesOutside(resolve(dirname(file), m[1]!), seen));
}

function testFiles(dir: string): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.test.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const slow = [...testFiles('src-shared'), ...testFiles('src-main'), ...testFiles('e2e')]
  .filter((file) => reachesOutside(file))
  .map((file) => relative(root, file));

export default mergeConfig(
  base,
  defineConfig({ test: { exclude: ['**/node_modules/**', ...spawnsOutside, ...processTests, ...slow] } }),
);

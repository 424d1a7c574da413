#!/usr/bin/env node
// The `baglink` command. It runs a bundle of src-main that esbuild builds once per version of the sources
// (about a second): a bundled station starts fast and needs far less memory than TypeScript compiled on the fly.
// Where no bundle can be built (esbuild missing, read-only folder) it runs the sources through tsx instead.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const sources = fileURLToPath(new URL('../src-main', import.meta.url));
// Code the main process shares with the renderer: part of the bundle too.
const shared = fileURLToPath(new URL('../src-shared', import.meta.url));
const bundles = fileURLToPath(new URL('../dist-main', import.meta.url));

/** Names every source file with its size and time: a new key whenever any source changes. */
function sourcesKey() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) {
        const s = statSync(path);
        hash.update(`${path}:${s.size}:${s.mtimeMs}\n`);
      }
    }
  };
  walk(sources);
  if (existsSync(shared)) walk(shared);
  // The version (src-shared/version.ts) comes from package.json.
  const pkg = statSync(fileURLToPath(new URL('../package.json', import.meta.url)));
  hash.update(`package.json:${pkg.size}:${pkg.mtimeMs}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Bundles of older sources, a day old: no running command still loads from them. */
function removeOldBundles(current) {
  const dayAgo = Date.now() - 86_400_000;
  for (const name of readdirSync(bundles)) {
    const path = `${bundles}/${name}`;
    if (name.startsWith('cli-') && path !== current && statSync(path).mtimeMs < dayAgo) {
      rmSync(path, { recursive: true, force: true });
    }
  }
}

async function bundled() {
  if (process.env.BAGLINK_NO_BUNDLE) return null;
  try {
    // dist-main/<key>/ sits at the same depth as src-main/<folder>/, so '../../drizzle/local' means the same.
    const dir = `${bundles}/cli-${sourcesKey()}`;
    if (!existsSync(`${dir}/main.js`)) {
      const { build } = await import('esbuild');
      // Several commands may start at once: each builds into its own folder and renames it into place.
      const temporary = `${dir}.${process.pid}.tmp`;
      await build({
        // The sync and export workers are bundled beside main.js, where sync/supervisor.ts and
        // export/export-runner.ts look for them.
        entryPoints: {
          main: `${sources}/cli/main.ts`,
          'worker-entry': `${sources}/sync/worker.ts`,
          'export-worker': `${sources}/export/worker.ts`,
        },
        outdir: temporary,
        bundle: true,
        splitting: true,
        chunkNames: 'chunk-[hash]',
        platform: 'node',
        format: 'esm',
        target: 'node20',
        packages: 'external',
        sourcemap: 'inline',
        logLevel: 'error',
      });
      try {
        renameSync(temporary, dir);
      } catch {
        rmSync(temporary, { recursive: true, force: true });
      }
      removeOldBundles(dir);
    }
    return await import(pathToFileURL(`${dir}/main.js`).href);
  } catch {
    return null;
  }
}

let cli = await bundled();
if (!cli) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src-main/cli/main.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));

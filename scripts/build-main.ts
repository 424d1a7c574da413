/**
 * `npm run build:main`: bundles the Electron main process and its preload with esbuild.
 * - dist-main/electron/main.js: ESM for Electron's Node, npm packages left as imports (electron-builder ships
 *   node_modules; native modules must stay files so asarUnpack can find them).
 * - dist-main/electron/worker-entry.js: the sync worker thread, at the path sync/supervisor.ts asks for
 *   (`./worker-entry.js` beside the code that starts it, which in the bundle is main.js).
 * - dist-main/electron/export-worker.js: the export worker thread, likewise for export/export-runner.ts.
 * - dist-main/electron/preload.cjs: one CommonJS file that requires nothing but `electron`, as a sandboxed
 *   preload must be. The contract's method and event names are written into it here.
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { eventNames, methodNames } from '../src-shared/contract.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
/** Electron 38 runs Node 22 and Chromium 140. */
const nodeTarget = 'node22';

export interface BuildDesktopOptions {
  outDir?: string;
  minify?: boolean;
}

export async function buildDesktop(options: BuildDesktopOptions = {}) {
  const outDir = options.outDir ?? `${root}dist-main/electron`;
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node' as const,
    target: nodeTarget,
    sourcemap: 'linked' as const,
    minify: options.minify ?? false,
    logLevel: 'warning' as const,
    legalComments: 'none' as const,
  };
  await build({
    ...common,
    entryPoints: ['src-main/electron/main.ts'],
    outfile: `${outDir}/main.js`,
    format: 'esm',
    packages: 'external',
    external: ['electron'],
  });
  await build({
    ...common,
    entryPoints: ['src-main/sync/worker.ts'],
    outfile: `${outDir}/worker-entry.js`,
    format: 'esm',
    packages: 'external',
  });
  await build({
    ...common,
    entryPoints: ['src-main/export/worker.ts'],
    outfile: `${outDir}/export-worker.js`,
    format: 'esm',
    packages: 'external',
  });
  await build({
    ...common,
    entryPoints: ['src-main/electron/preload.ts'],
    outfile: `${outDir}/preload.cjs`,
    format: 'cjs',
    external: ['electron'],
    define: {
      __STATION_METHODS__: JSON.stringify(methodNames),
      __STATION_EVENTS__: JSON.stringify(eventNames),
    },
  });
  return {
    main: `${outDir}/main.js`,
    worker: `${outDir}/worker-entry.js`,
    exportWorker: `${outDir}/export-worker.js`,
    preload: `${outDir}/preload.cjs`,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = await buildDesktop();
  console.log(`Built ${out.main} and ${out.preload}`);
}

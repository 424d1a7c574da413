import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

/** The checkout (or install) root: the same path from src-main/api and from dist-main/<bundle>. */
export const appRoot = fileURLToPath(new URL('../../', import.meta.url));
export const rendererDist = join(appRoot, 'dist-renderer');

const inputs = ['src-renderer', 'resources/sounds', 'vite.config.ts', 'package-lock.json'];

function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * The screens need building when the sources are here (a checkout, not an installer's copy) and the build is
 * missing or older than any of them. An install ships dist-renderer and no src-renderer: never stale.
 */
export function isRendererStale(root = appRoot): boolean {
  if (!existsSync(join(root, 'src-renderer'))) return false;
  const built = statSync(join(root, 'dist-renderer', 'index.html'), { throwIfNoEntry: false });
  return !built || Math.max(...inputs.map((input) => newest(join(root, input)))) > built.mtimeMs;
}

export type RendererState = 'ready' | 'building' | 'failed';

export interface RendererBuild {
  state(): RendererState;
  /** Settles when the build is over (at once when none was needed). */
  done: Promise<RendererState>;
}

/**
 * `baglink serve` on a fresh clone: builds the screens with Vite in a child process (the station keeps
 * answering meanwhile), into a folder of its own that is renamed into place, so a page never loads half a build.
 * BAGLINK_SKIP_RENDERER_BUILD=1 serves what is there (test servers whose suite built the screens already).
 */
export function buildRendererIfStale(log: (line: string) => void, root = appRoot): RendererBuild {
  if (process.env.BAGLINK_SKIP_RENDERER_BUILD || !isRendererStale(root)) {
    return { state: () => 'ready', done: Promise.resolve('ready') };
  }
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    log('screens: the build is missing or old and Vite is not installed: run "npm ci", then start again.');
    return { state: () => 'failed', done: Promise.resolve('failed') };
  }
  let state: RendererState = 'building';
  log('screens: building them (first start or changed sources); the page says so until they are ready.');
  const dist = join(root, 'dist-renderer');
  const temporary = `${dist}.${process.pid}.tmp`;
  const child = spawn(process.execPath, [vite, 'build', '--outDir', temporary, '--emptyOutDir'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-2000)));
  const done = new Promise<RendererState>((resolve) => {
    child.once('error', (error) => {
      errors += error.message;
    });
    child.once('close', (code) => {
      state = code === 0 ? moveIntoPlace(temporary, dist) : 'failed';
      rmSync(temporary, { recursive: true, force: true });
      log(state === 'ready' ? 'screens: built.' : `screens: the build failed: ${errors.trim()}`);
      resolve(state);
    });
  });
  return { state: () => state, done };
}

function moveIntoPlace(temporary: string, dist: string): RendererState {
  const old = `${dist}.${process.pid}.old`;
  try {
    if (existsSync(dist)) renameSync(dist, old);
    renameSync(temporary, dist);
    rmSync(old, { recursive: true, force: true });
    return 'ready';
  } catch {
    return 'failed';
  }
}

/**
 * Builds the renderer with Vite now, in this process, when dist-renderer is missing or older than its sources: for
 * the tests and the flash bench, which need the real screens before they start (so `npm test` stays one command). A lock folder keeps two test files (or a test and the bench) from building at the same time.
 */
export async function ensureRendererBuilt(root = appRoot): Promise<void> {
  if (!isRendererStale(root)) return;
  const lock = join(root, 'node_modules/.cache/baglink-renderer-build.lock');
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
    if (!isRendererStale(root)) return;
    const { build } = await import('vite');
    // Into a folder of its own, renamed into place: a test that finds index.html must find its scripts too.
    const temporary = join(root, `dist-renderer.${process.pid}.tmp`);
    try {
      await build({
        configFile: join(root, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: temporary, emptyOutDir: true },
      });
      if (moveIntoPlace(temporary, join(root, 'dist-renderer')) !== 'ready')
        throw new Error('The screens were built but could not be moved into dist-renderer.');
    } finally {
      rmSync(temporary, { recursive: true, force: true });
    }
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

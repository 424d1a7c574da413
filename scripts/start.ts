/**
 * `npm start`: the desktop app where an Electron binary exists (build main + preload, then launch Electron);
 * elsewhere one sentence saying so and `baglink serve`, which prints the address to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildDesktop } from './build-main.ts';
import { findElectronBinary, noElectronSentence } from './electron-binary.ts';

const root = fileURLToPath(new URL('../', import.meta.url));
const passThrough = process.argv.slice(2);

function run(command: string, args: string[]): Promise<number> {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

const electron = findElectronBinary(root);
if (electron === undefined) {
  console.log(noElectronSentence);
  process.exitCode = await run(process.execPath, [`${root}bin/baglink.js`, 'serve', ...passThrough]);
} else {
  const built = spawnSync('npm', ['run', 'build:renderer', '--if-present'], {
    cwd: root,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (built.status !== 0) process.exit(built.status ?? 1);
  await buildDesktop();
  process.exitCode = await run(electron, [root, ...passThrough]);
}

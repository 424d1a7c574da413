/** `baglink` run as a child process, as a dock PC runs it: for the flash bench and the end-to-end tests. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const baglinkBin = fileURLToPath(new URL('../../bin/baglink.js', import.meta.url));
export const token = 'e2e-token-0123456789abcdef';

/** Runs a `baglink` command to completion, with optional standard input and extra environment. */
export function baglink(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [baglinkBin, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** An API answer as the tests read it: fields are read freely, the unit tests check the types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Answer = { ok: boolean; value?: any; error?: { code: string; message: string } };

export interface Served {
  url: string;
  child: ChildProcess;
  call(method: string, args?: unknown): Promise<Answer>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `baglink serve` on a free port (plus extraArgs, e.g. --scanner) and waits for the address it prints;
 * apiToken is the station's token (BAGLINK_TOKEN), the shared test token unless a test restarts with another.
 */
export async function serve(dataDir: string, extraArgs: string[] = [], apiToken = token): Promise<Served> {
  const args = ['serve', '--data-dir', dataDir, '--port', '0', ...extraArgs];
  // The suites build the screens themselves (ensureRendererBuilt in src-main/api/renderer-build.ts): a test server never starts a build.
  // The token comes from the environment: on the command line every local user could read it.
  const child = spawn(process.execPath, [baglinkBin, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, BAGLINK_TOKEN: apiToken, BAGLINK_SKIP_RENDERER_BUILD: '1' },
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`baglink serve did not start: ${output}`)), 30_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /running at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`baglink serve exited with ${code}: ${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    async call(method, args = {}) {
      const res = await fetch(`${url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await res.json()) as Answer;
    },
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      await exited;
    },
  };
}

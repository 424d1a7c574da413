import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A pair of linked ptys made by socat, standing in for a USB scanner in tests and `baglink bench`: the station
 * opens `station`, the test or the bench plays the scanner on `scanner`. Killing the pair looks to the station like pulling the cable out.
 */
export interface PtyPair {
  station: string;
  scanner: string;
  /** Kills socat and waits until it has gone and removed its links. */
  unplug(): Promise<void>;
}

export const SOCAT = '/usr/bin/socat';
const running = new Set<ChildProcess>();

export async function startPtyPair(dir: string, timeoutMs = 15_000): Promise<PtyPair> {
  if (!fs.existsSync(SOCAT)) {
    throw new Error(
      `socat is missing at ${SOCAT}: install it (apt-get install -y socat) to run the pty tests.`,
    );
  }
  const station = path.join(dir, 'station');
  const scanner = path.join(dir, 'scanner');
  const child = spawn(
    SOCAT,
    ['-d', '-d', `pty,raw,echo=0,link=${station}`, `pty,raw,echo=0,link=${scanner}`],
    {
      stdio: 'ignore',
    },
  );
  running.add(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const unplug = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    running.delete(child);
  };
  const deadline = Date.now() + timeoutMs;
  while (!(fs.existsSync(station) && fs.existsSync(scanner))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await unplug();
      throw new Error(`socat did not make the ptys ${station} and ${scanner} within ${timeoutMs} ms.`);
    }
    await sleep(20);
  }
  return { station, scanner, unplug };
}

/** Kills every socat this process started; call it from afterEach/afterAll so none outlives the tests. */
export async function stopAllPtyPairs(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.kill('SIGKILL');
        await exited;
      }
      running.delete(child);
    }),
  );
}

import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../api/dispatch.ts';
import { createHost } from '../api/host.ts';
import { APP_VERSION, createStation } from '../core/station.ts';
import { startStationScanners } from '../scanner/station-scanners.ts';
import { holdStationLock } from '../store/station-lock.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';

const rendererDir = fileURLToPath(new URL('../../dist-renderer', import.meta.url));

export const serveCommand: Command = {
  summary:
    'Runs the station with its API on 127.0.0.1: POST /api/<method> with "Authorization: Bearer TOKEN", events on /ws.',
  usage:
    'baglink serve [--port 7420] [--token T | BAGLINK_TOKEN=T] [--scanner PATH ...] [--only-configured] [--data-dir DIR]',
  options: {
    port: { type: 'string' },
    token: { type: 'string' },
    scanner: { type: 'string', multiple: true },
    'only-configured': { type: 'boolean' },
  },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    const port = Number(values.port ?? 7420);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError('--port takes a number from 0 to 65535.');
    const given = (values.token as string | undefined) ?? process.env.BAGLINK_TOKEN;
    if (given !== undefined && given.length < 16)
      throw new UsageError('The token must be at least 16 characters long.');
    const token = given ?? randomBytes(24).toString('base64url');

    const syncIntervalMs = Number(process.env.BAGLINK_SYNC_INTERVAL_MS ?? 5_000);
    const station = createStation({ dataDir, sync: { intervalMs: syncIntervalMs } });
    // `baglink restore` refuses while this stands (a kill -9 leaves a file that names no live process).
    const releaseLock = holdStationLock(dataDir);
    const dispatcher = createDispatcher(station, io.err);
    let host;
    try {
      host = await createHost({
        port,
        token,
        dispatch: dispatcher.dispatch,
        isMethod: dispatcher.isMethod,
        subscribe: station.subscribe,
        health: () => ({ ok: true, version: APP_VERSION, station: station.ctx.station.name }),
        staticDir: existsSync(rendererDir) ? rendererDir : undefined,
        log: io.err,
      });
    } catch (e) {
      station.close();
      releaseLock();
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new UsageError(`Port ${port} is already in use: stop the other station or pass --port.`);
      }
      throw e;
    }
    const scanners = await startStationScanners(station, {
      extraPaths: (values.scanner as string[] | undefined) ?? [],
      discover: !values['only-configured'],
      log: io.err,
    });
    io.out(`BagLink Station "${station.status().name}" is running at ${host.url}`);
    io.out(`Data folder: ${dataDir}`);
    if (given === undefined) io.out(`API token: ${token}`);
    // The fragment never reaches the server or its logs; the page keeps the token in sessionStorage.
    io.out(`Open the screens in a browser: ${host.url}/#token=${given === undefined ? token : 'YOUR_TOKEN'}`);
    if (station.users.count() === 0) {
      io.out(
        'No users yet: add an admin with "baglink user add --username admin --role admin --password-stdin".',
      );
    }

    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.out('Stopping: finishing open work and closing the database.');
    await host.close();
    await scanners.stop();
    await station.stopSync();
    station.close();
    releaseLock();
    return 0;
  },
};

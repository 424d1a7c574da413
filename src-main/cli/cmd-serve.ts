import { progressLine, throttled } from '../sync/progress.ts';
import type { SyncState } from '../../src-shared/sync-status.ts';
import { createDispatcher } from '../api/dispatch.ts';
import { createHost } from '../api/host.ts';
import { createStation } from '../app/station.ts';
import { APP_VERSION } from '../../src-shared/version.ts';
import { startStationScanners } from '../app/station-scanners.ts';
import { startStationHardware } from '../app/station-hardware.ts';
import { holdStationLock } from '../store/station-lock.ts';
import { UsageError } from './io.ts';
import { buildRendererIfStale, rendererDist } from '../api/renderer-build.ts';
import type { Command, CommandContext } from './command.ts';
import { wholeNumber } from './numbers.ts';
import { serveToken } from './serve-token.ts';
import { commandHelp } from './usage.ts';

export const serveCommand: Command = {
  summary:
    'Runs the station with its API on 127.0.0.1: POST /api/<method> with "Authorization: Bearer TOKEN", events on /ws.',
  usage: commandHelp.serve.usage,
  options: {
    port: { type: 'string' },
    // Declared only to refuse it with a sentence: a token in argv is in every user's process list.
    token: { type: 'string' },
    'token-file': { type: 'string' },
    scanner: { type: 'string', multiple: true },
    'only-configured': { type: 'boolean' },
  },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    const port = wholeNumber(values, 'port', 7420, 0);
    if (port > 65535) throw new UsageError('--port takes a number from 0 to 65535.');
    const { token, generated } = serveToken(values);

    const syncIntervalMs = Number(process.env.BAGLINK_SYNC_INTERVAL_MS ?? 5_000);
    const station = createStation({
      dataDir,
      create: true,
      sync: { intervalMs: syncIntervalMs },
      log: io.err,
    });
    for (const warning of station.warnings) io.err(warning);
    // `baglink restore` refuses while this stands (a kill -9 leaves a file that names no live process).
    const releaseLock = holdStationLock(dataDir);
    const dispatcher = createDispatcher(station, io.err);
    // A first load or a large catch-up: the terminal says how far it is too, every few seconds.
    const printProgress = throttled((p) => io.out(`sync: ${progressLine(p)}`), 3000);
    station.subscribe((event, payload) => {
      const progress = event === 'onSyncState' ? (payload as SyncState).progress : null;
      if (progress) printProgress(progress);
    });
    const screens = buildRendererIfStale(io.err);
    let host;
    try {
      host = await createHost({
        port,
        token,
        dispatch: dispatcher.dispatch,
        isMethod: dispatcher.isMethod,
        subscribe: station.subscribe,
        health: () => ({ ok: true, version: APP_VERSION, station: station.ctx.station.name }),
        staticDir: rendererDist,
        screensState: screens.state,
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
    // The scale and the printer first: the scanners leave their ports alone.
    const hardware = startStationHardware(station, { log: io.err });
    const scanners = await startStationScanners(station, {
      extraPaths: (values.scanner as string[] | undefined) ?? [],
      discover: !values['only-configured'],
      log: io.err,
    });
    // Listen for the stop signals before saying "running": a stop sent at once still closes the database.
    const stopSignal = new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    io.out(`BagLink Station "${station.status().name}" is running at ${host.url}`);
    io.out(`Data folder: ${dataDir}`);
    for (const warning of station.status().warnings) io.err(`Warning: ${warning.message}`);
    if (generated) io.out(`API token: ${token}`);
    // The fragment never reaches the server or its logs; the page keeps the token in sessionStorage.
    io.out(`Open the screens in a browser: ${host.url}/#token=${generated ? token : 'YOUR_TOKEN'}`);
    if (screens.state() === 'building')
      io.out(
        'Building the screens (first start of this copy): the page says so and reloads until they are ready.',
      );
    if (station.users.count() === 0) {
      io.out(
        'No users yet: the page offers to create the first admin (or use "baglink user add ... --role admin").',
      );
    }

    await stopSignal;
    io.out('Stopping: finishing open work and closing the database.');
    await host.close();
    await scanners.stop();
    // Labels still queued stay in the database and print at the next start.
    await hardware.stop();
    await station.stopSync();
    station.close();
    releaseLock();
    return 0;
  },
};

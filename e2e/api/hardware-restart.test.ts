import { spawn, type ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baglinkBin, serve, type Served } from '../../src-main/bench/serve-process.ts';
import { renderLabelPng } from '../../src-main/printer/preview.ts';
import { decodeBarcodes } from '../../src-main/printer/testing/decode-barcodes.ts';
import { FakePrinter } from '../../src-main/printer/testing/fake-printer.ts';
import { closeSerialFolder, serialFolder, until, type SerialFolder } from './serial-station.ts';

/**
 * Issue 16 against a running `baglink serve`: the scale is `baglink scale-sim` on a socat pty pair, the printer a
 * TCP listener on loopback. A label queued while the printer reports paper out survives a kill -9 of the station.
 */
describe('a station with a scale and a label printer', () => {
  let folder: SerialFolder;
  let station: Served | undefined;
  let scale: ChildProcess | undefined;
  let printer: FakePrinter;

  beforeEach(async () => {
    folder = await serialFolder('baglink-hw-');
    printer = new FakePrinter();
  });

  afterEach(async () => {
    scale?.kill('SIGKILL');
    scale = undefined;
    await closeSerialFolder(folder, station);
    station = undefined;
    await printer.close();
  });

  it('weighs the completed parent, and its label, held by paper out, prints after a kill -9 and a restart', async () => {
    printer.problems = ['paper_out'];
    const port = await printer.listen();
    station = await serve(folder.dataDir, ['--only-configured']);
    const call = async (method: string, args: unknown = {}) => {
      const r = await station!.call(method, args);
      if (!r.ok) throw new Error(`${method}: ${r.error?.code}: ${r.error?.message}`);
      return r.value;
    };
    await call('auth.login', { username: 'ravi', password: 'dock-password' });
    await call('hardware.configure', {
      scale: { path: folder.pty.station, protocol: 'sics', pollMs: 100 },
      printer: { connection: { kind: 'tcp', host: '127.0.0.1', port }, layout: '100x150mm', dpi: 203 },
    });
    await until(async () => (await call('hardware.state')).scale?.state === 'ready', 'the scale to be ready');
    for (const code of ['SB00001', 'CH000001', 'CH000002']) await call('scan.submit', { code });
    await call('scan.closeParent');
    // The bag reaches the scale after its last child (a load on the scale before is an earlier bag).
    scale = spawn(
      process.execPath,
      [baglinkBin, 'scale-sim', '--port', folder.pty.scanner, '--protocol', 'sics', '--kg', '3.6'],
      { stdio: 'ignore' },
    );
    await until(async () => (await call('weights.current'))?.phase === 'recorded', 'the weight');
    expect((await call('weights.current')).weight).toMatchObject({ kg: 3.6, state: 'recorded' });
    await until(async () => (await call('hardware.state')).printer?.state === 'problem', 'paper out');
    const [job] = await call('printer.jobs', { parent: 'SB00001' });
    expect(job).toMatchObject({ state: 'pending', reason: 'completed' });
    expect(printer.labels()).toEqual([]);

    await station.stop('SIGKILL');
    station = undefined;
    printer.problems = [];
    station = await serve(folder.dataDir, ['--only-configured']);
    await until(
      async () => printer.labels().some((z) => z.includes('SB00001')),
      'the label after the restart',
    );
    const zpl = printer.labels().find((z) => z.includes('SB00001'))!;
    expect((await decodeBarcodes(await renderLabelPng(zpl, '100x150mm', 203))).code128).toEqual(['SB00001']);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { HardwareState, ParentWeight, PrintJobView, WeighingState } from '../../src-shared/hardware.ts';
import { FakePrinter } from '../printer/testing/fake-printer.ts';
import { decodeBarcodes } from '../printer/testing/decode-barcodes.ts';
import { renderLabelPng } from '../printer/preview.ts';
import { startScaleSim, type ScaleSim, type ScaleSimOptions } from '../scale/sim.ts';
import { startPtyPair, stopAllPtyPairs, type PtyPair } from '../scanner/pty-pair.ts';
import { child, createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import { startStationHardware } from './station-hardware.ts';
import { portsToOpen, startStationScanners } from './station-scanners.ts';

// A whole station on a real SQLite file, the scale played by the simulator on a socat pty pair, the printer a
// TCP listener on 127.0.0.1 that answers ~HS. Waits are on conditions with generous limits.
const WAIT = { timeout: 20_000, interval: 25 };

let t: TestStation;
let dir: string;
let pair: PtyPair;
let printer: FakePrinter;
let printerPort: number;
let hardware: ReturnType<typeof startStationHardware> | undefined;
const sims: ScaleSim[] = [];
let weighings: WeighingState[];
let states: HardwareState[];

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-hw-'));
  t = createTestStation();
  await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
  await t.addUser('sup', 'supervisor', { badge: 'SUP1', pin: '246810' });
  await t.addUser('dock', 'dock', { badge: 'DOCK1', pin: '135790' });
  pair = await startPtyPair(dir);
  printer = new FakePrinter();
  printerPort = await printer.listen();
  weighings = [];
  states = [];
  t.station.subscribe((event, payload) => {
    if (event === 'onWeighing') weighings.push(payload as WeighingState);
    if (event === 'onHardwareState') states.push(payload as HardwareState);
  });
  hardware = startStationHardware(t.station, {
    queueOptions: {
      backoffMinMs: 10,
      backoffBaseMs: 20,
      holdMs: 100,
      replyTimeoutMs: 1000,
      pollIntervalMs: 200,
    },
    readingEveryMs: 100,
  });
});

afterEach(async () => {
  await hardware?.stop();
  hardware = undefined;
  await Promise.all(sims.splice(0).map((s) => s.stop()));
  await stopAllPtyPairs();
  await printer.close();
  t.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function sim(options: Partial<ScaleSimOptions> = {}): Promise<ScaleSim> {
  const started = await startScaleSim({
    port: pair.scanner,
    protocol: 'sics',
    kg: 3.6,
    unstableMs: 0,
    overload: false,
    unit: 'kg',
    ...options,
  });
  sims.push(started);
  return started;
}

/** The admin attaches the scale (MT-SICS on the pty) and the printer (TCP on loopback); then `profile`. */
async function attach(profile: Record<string, unknown> = {}, printerExtra: Record<string, unknown> = {}) {
  await t.login('admin');
  await t.call('hardware.configure', {
    scale: { path: pair.station, name: 'Dock scale', protocol: 'sics', pollMs: 100 },
    printer: {
      connection: { kind: 'tcp', host: '127.0.0.1', port: printerPort },
      layout: '100x150mm',
      dpi: 203,
      ...printerExtra,
    },
  });
  await t.call('settings.update', { profile: { parentCapacity: 3, weighTimeoutMs: 3000, ...profile } });
  await vi.waitFor(() => expect(t.station.hardware.state(op()).scale?.state).toBe('ready'), WAIT);
}

const op = () => t.station.session.operator();

async function fillParent(parent: string, children: number, from = 0): Promise<void> {
  await t.scan(parent);
  for (let i = 0; i < children; i++) await t.scan(child(from + i));
}

async function labelDecodes(parent: string): Promise<void> {
  await vi.waitFor(() => expect(printer.labels().some((zpl) => zpl.includes(parent))).toBe(true), WAIT);
  const zpl = printer.labels().find((z) => z.includes(parent))!;
  const found = await decodeBarcodes(await renderLabelPng(zpl, '100x150mm', 203));
  expect(found.code128).toContain(parent);
  expect(found.qr).toContain(parent);
}

async function phase(p: WeighingState['phase']): Promise<WeighingState> {
  await vi.waitFor(() => expect(weighings.at(-1)?.phase).toBe(p), WAIT);
  return weighings.at(-1)!;
}

describe('completing a parent with a scale and a printer attached', () => {
  it('the button: waits for the bag, records its weight, then prints a label whose barcodes are the parent code', async () => {
    // The bag reaches the scale after its last child: a load already on the scale is an earlier bag.
    const scale = await sim({ kg: 0 });
    await attach();
    await t.login('dock');
    await fillParent('SB00001', 2);
    const closed = await t.call<{ closed: string }>('scan.closeParent');
    scale.set({ kg: 3.6 });
    expect(closed.closed).toBe('SB00001');
    // The answer came before the weighing: the wait runs behind the scan path.
    expect(weighings[0]).toMatchObject({ parentCode: 'SB00001', phase: 'waiting' });
    expect(weighings[0]!.deadlineAt).toBe(t.clock.now() + 3000);
    const recorded = await phase('recorded');
    expect(recorded.weight).toMatchObject({
      parentCode: 'SB00001',
      state: 'recorded',
      kg: 3.6,
      childCount: 2,
    });
    await labelDecodes('SB00001');
    const jobs = await t.call<PrintJobView[]>('printer.jobs', { parent: 'SB00001' });
    expect(jobs).toMatchObject([{ parentCode: 'SB00001', reason: 'completed', state: 'sent' }]);
    expect(await t.call('weights.current')).toMatchObject({ parentCode: 'SB00001', phase: 'recorded' });
    // The header saw the scale and the queue (readings throttled, not one event per reading).
    expect(states.some((s) => s.printer?.queue.sent === 1)).toBe(true);
    expect(states.some((s) => s.scale?.latest?.kg === 3.6)).toBe(true);
    // A steady scale (a reading every 100 ms) and an idle printer (asked every 200 ms) send nothing new.
    const before = states.length;
    await new Promise((r) => setTimeout(r, 1000));
    expect(states.length - before).toBeLessThanOrEqual(1);
  });

  it('the child that fills the parent completes it the same way', async () => {
    const scale = await sim({ kg: 0 });
    await attach();
    await t.login('dock');
    await fillParent('SB00002', 3);
    scale.set({ kg: 3.6 });
    expect((await phase('recorded')).weight).toMatchObject({ parentCode: 'SB00002', kg: 3.6, childCount: 3 });
    await labelDecodes('SB00002');
    // "Complete" pressed as well, out of habit: the same completion, not a second weighing or label.
    const seen = weighings.length;
    expect(await t.call('scan.closeParent')).toEqual({ closed: 'SB00002' });
    await new Promise((r) => setTimeout(r, 500));
    expect(weighings.length).toBe(seen);
    expect(await t.call<PrintJobView[]>('printer.jobs', { parent: 'SB00002' })).toHaveLength(1);
  });

  it('a reading that never settles is refused with the scale\'s sentence; "weigh later" then prints the label', async () => {
    await sim({ kg: 3.6, unstableMs: 600_000 });
    await attach({ weighTimeoutMs: 1000 });
    await t.login('dock');
    await fillParent('SB00003', 2);
    await t.call('scan.closeParent');
    const refused = await phase('refused');
    expect(refused.refusal).toMatchObject({ code: 'scale_unstable_timeout' });
    expect(refused.refusal!.message).toContain('did not settle');
    expect(printer.labels()).toEqual([]);
    const later = await t.call<WeighingState>('weights.weighLater');
    expect(later).toMatchObject({ parentCode: 'SB00003', phase: 'later', weight: { state: 'later' } });
    await labelDecodes('SB00003');
  });

  it('"weigh again" after a refusal restarts the wait for the same parent', async () => {
    const scale = await sim({ kg: 3.6, unstableMs: 600_000 });
    await attach({ weighTimeoutMs: 1000 });
    await t.login('dock');
    await fillParent('SB00004', 2);
    await t.call('scan.closeParent');
    await phase('refused');
    scale.set({ kg: 3.7, unstableMs: 0 });
    expect(await t.call('weights.weighAgain')).toMatchObject({ parentCode: 'SB00004', phase: 'waiting' });
    expect((await phase('recorded')).weight).toMatchObject({ kg: 3.7 });
  });

  it('a parent left refused when the next one is completed is put off and still gets its label', async () => {
    const scale = await sim({ kg: 3.6, unstableMs: 600_000 });
    await attach({ weighTimeoutMs: 1000 });
    await t.login('dock');
    await fillParent('SB00012', 2);
    await t.call('scan.closeParent');
    await phase('refused');
    scale.set({ kg: 0.3, unstableMs: 0 });
    // The station sees the old bag go (the scale emptied) before the next one comes.
    await vi.waitFor(() => expect(t.station.hardware.state(op()).scale?.latest?.kg).toBe(0.3), WAIT);
    await fillParent('SB00013', 2, 10);
    await t.call('scan.closeParent');
    expect(weighings.slice(-2).map((w) => [w.parentCode, w.phase])).toEqual([
      ['SB00012', 'later'],
      ['SB00013', 'waiting'],
    ]);
    scale.set({ kg: 3.6 }); // the next bag goes on at once: this weighing has a second
    await labelDecodes('SB00012');
    await vi.waitFor(
      () => expect(weighings.find((w) => w.phase === 'recorded')?.parentCode).toBe('SB00013'),
      WAIT,
    );
    await labelDecodes('SB00013');
  });

  it('"weigh later" while waiting stops the wait and queues the label', async () => {
    await sim({ kg: 0.4 }); // the empty scale: below weighMinKg
    await attach({ weighTimeoutMs: 60_000 });
    await t.login('dock');
    await fillParent('SB00005', 2);
    await t.call('scan.closeParent');
    await phase('waiting');
    expect(await t.call('weights.weighLater')).toMatchObject({ parentCode: 'SB00005', phase: 'later' });
    await labelDecodes('SB00005');
    expect(await t.refusal('weights.weighLater')).toBe('no_weighing');
  });

  it('with weightRequired the next parent waits until the last one is weighed or put off', async () => {
    await sim({ kg: 0.4 });
    await attach({ weighTimeoutMs: 60_000, weightRequired: true });
    await t.login('dock');
    await fillParent('SB00006', 2);
    await t.call('scan.closeParent');
    expect((await phase('waiting')).blocksNextParent).toBe(true);
    const blocked = await t.scan('SB00007');
    expect(blocked.reason).toBe('weight_required');
    await t.call('weights.weighLater');
    t.clock.advance(2000); // past the double-read window: the worker scans the parent again
    const next = await t.scan('SB00007');
    expect(next.reason).toBeNull();
    expect(next.activeParent?.code).toBe('SB00007');
  });

  it('without a scale the label is queued at once', async () => {
    await t.login('admin');
    await t.call('hardware.configure', {
      printer: {
        connection: { kind: 'tcp', host: '127.0.0.1', port: printerPort },
        layout: '4x2in',
        dpi: 203,
      },
    });
    await t.login('dock');
    await fillParent('SB00008', 2);
    await t.call('scan.closeParent');
    await vi.waitFor(() => expect(printer.labels().some((z) => z.includes('SB00008'))).toBe(true), WAIT);
    expect(weighings).toEqual([]);
  });

  it('printOnComplete false: no label at completion, a supervisor still reprints', async () => {
    const scale = await sim({ kg: 0 });
    await attach({}, { printOnComplete: false });
    await t.login('dock');
    await fillParent('SB00009', 2);
    await t.call('scan.closeParent');
    scale.set({ kg: 3.6 });
    await phase('recorded');
    await new Promise((r) => setTimeout(r, 300));
    expect(printer.labels()).toEqual([]);
    await t.login('sup');
    await t.call('printer.reprint', { parent: 'SB00009' });
    await labelDecodes('SB00009');
  });
});

describe('the printer', () => {
  it('paper out (its ~HS answer) makes the printer a problem and the label waits until it is cleared', async () => {
    printer.problems = ['paper_out'];
    await t.login('admin');
    await t.call('hardware.configure', {
      printer: {
        connection: { kind: 'tcp', host: '127.0.0.1', port: printerPort },
        layout: '100x150mm',
        dpi: 203,
      },
    });
    await t.login('dock');
    await fillParent('SB00010', 2);
    await t.call('scan.closeParent');
    await vi.waitFor(() => {
      const state = t.station.hardware.state(op()).printer!;
      expect(state.state).toBe('problem');
      expect(state.problems).toContain('paper_out');
      expect(state.queue.pending).toBe(1);
    }, WAIT);
    expect(printer.labels()).toEqual([]);
    expect(states.some((s) => s.printer?.state === 'problem')).toBe(true);
    printer.problems = [];
    await labelDecodes('SB00010');
    await vi.waitFor(() => expect(t.station.hardware.state(op()).printer!.state).toBe('ready'), WAIT);
  });

  it("reprint is a supervisor's, audited as label.reprint; the preview is the same ZPL as a PNG", async () => {
    await t.login('admin');
    await t.call('hardware.configure', {
      printer: {
        connection: { kind: 'tcp', host: '127.0.0.1', port: printerPort },
        layout: '100x150mm',
        dpi: 203,
      },
    });
    await t.login('dock');
    await fillParent('SB00011', 2);
    await t.call('scan.closeParent');
    await labelDecodes('SB00011');
    expect(await t.refusal('printer.reprint', { parent: 'SB00011' })).toBe('role_required');
    const preview = await t.call<{ zpl: string; png: string }>('printer.preview', { parent: 'SB00011' });
    expect(preview.png.startsWith('data:image/png;base64,')).toBe(true);
    const decoded = await decodeBarcodes(Buffer.from(preview.png.split(',')[1]!, 'base64'));
    expect(decoded.code128).toEqual(['SB00011']);
    await t.login('sup');
    const job = await t.call<PrintJobView>('printer.reprint', { parent: 'SB00011' });
    expect(job).toMatchObject({ parentCode: 'SB00011', reason: 'reprint', requestedBy: 'sup' });
    await vi.waitFor(
      () => expect(printer.labels().filter((z) => z.includes('SB00011'))).toHaveLength(2),
      WAIT,
    );
    expect(t.rows('audit_log', "action = 'label.reprint'")).toBe(1);
  });
});

describe('hardware.configure and the ports', () => {
  it("is an admin's, checked before the settings; a bad scale is invalid_input naming the field", async () => {
    await t.login('dock');
    expect(await t.refusal('hardware.configure', { scale: { nonsense: true } })).toBe('role_required');
    await t.login('admin');
    const r = await t.api.dispatch('hardware.configure', {
      scale: { path: pair.station, protocol: 'weird' },
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!r.ok && r.error.message).toContain('scale.protocol');
    expect(t.rows('audit_log', "action = 'hardware.configure'")).toBe(0);
    await t.call('hardware.configure', { scale: { path: pair.station, protocol: 'sics' } });
    expect(t.rows('audit_log', "action = 'hardware.configure'")).toBe(1);
    expect(await t.call('hardware.get')).toMatchObject({ scale: { path: pair.station }, printer: null });
  });

  it('refuses a device on a port another one uses, and scanners leave the scale and printer ports alone', async () => {
    await t.login('admin');
    t.station.ctx.stationRepo.saveScanners([{ path: '/dev/ttyACM7' }]);
    expect(await t.refusal('hardware.configure', { scale: { path: '/dev/ttyACM7', protocol: 'sics' } })).toBe(
      'port_in_use',
    );
    await t.call('hardware.configure', {
      scale: { path: pair.station, protocol: 'sics' },
      printer: { connection: { kind: 'serial', path: '/dev/ttyUSB3' }, layout: '4x2in', dpi: 203 },
    });
    expect(
      await t.refusal('hardware.configure', {
        printer: { connection: { kind: 'serial', path: pair.station }, layout: '4x2in', dpi: 203 },
      }),
    ).toBe('port_in_use');
    expect(await t.refusal('scanners.configure', { scanners: [{ path: pair.station }] })).toBe('port_in_use');
    expect(await t.refusal('scanners.configure', { scanners: [{ path: '/dev/ttyUSB3' }] })).toBe(
      'port_in_use',
    );
    expect(t.station.hardwarePorts().sort()).toEqual([pair.station, '/dev/ttyUSB3'].sort());
    const found = [pair.station, '/dev/ttyUSB3', '/dev/ttyACM0'].map((p) => ({
      path: p,
      devicePath: p,
      configured: false,
      taken: true,
    }));
    expect(portsToOpen([], found, true, t.station.hardwarePorts()).map((p) => p.path)).toEqual([
      '/dev/ttyACM0',
    ]);
  });

  it('with no process driving the devices (a console station) the settings are checked and saved for the next start', async () => {
    const bare = createTestStation();
    try {
      await bare.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
      await bare.login('admin');
      expect(await bare.refusal('hardware.configure', { scale: { path: '/dev/ttyUSB0' } })).toBe(
        'invalid_input',
      );
      const printer = { connection: { kind: 'tcp', host: '127.0.0.1' }, layout: '4x2in', dpi: 300 };
      await bare.call('hardware.configure', {
        scale: { path: '/dev/ttyUSB0', protocol: 'continuous' },
        printer,
      });
      expect(await bare.call('hardware.get')).toEqual({
        scale: { path: '/dev/ttyUSB0', protocol: 'continuous' },
        printer,
      });
      expect(bare.rows('audit_log', "action = 'hardware.configure'")).toBe(1);
      expect(await bare.call('hardware.state')).toEqual({ scale: null, printer: null });
    } finally {
      bare.dispose();
    }
  });

  it("a running station does not open the scale's port as a scanner, even named with --scanner", async () => {
    await t.login('admin');
    await t.call('hardware.configure', { scale: { path: pair.station, protocol: 'sics' } });
    const other = await startPtyPair(fs.mkdtempSync(path.join(dir, 'other-')));
    const scanners = await startStationScanners(t.station, {
      extraPaths: [pair.station, other.station],
      discover: false,
    });
    try {
      expect(scanners.hub.list().map((s) => s.path)).toEqual([other.station]);
    } finally {
      await scanners.stop();
    }
  });
});

describe('acknowledging a weight that is off', () => {
  async function offWeight(parent: string): Promise<void> {
    const scale = await sim({ kg: 0 });
    await attach();
    await t.login('dock');
    await fillParent(parent, 2);
    await t.call('scan.closeParent');
    scale.set({ kg: 10 }); // 2 children: 0.5 + 2 x 1 = 2.5 kg expected
    const off = await phase('off');
    expect(off.weight).toMatchObject({ check: 'off', acknowledgedBy: null });
  }

  it("a dock worker cannot; a supervisor's badge and PIN on the dock session can, and the session stays", async () => {
    await offWeight('SB00020');
    expect(await t.refusal('weights.acknowledge', { parent: 'SB00020' })).toBe('role_required');
    expect(await t.refusal('weights.acknowledge', { parent: 'SB00020', badge: 'SUP1', pin: '000000' })).toBe(
      'bad_badge',
    );
    expect(await t.refusal('weights.acknowledge', { parent: 'SB00020', badge: 'DOCK1', pin: '135790' })).toBe(
      'role_required',
    );
    const acked = await t.call<ParentWeight>('weights.acknowledge', {
      parent: 'SB00020',
      badge: 'SUP1',
      pin: '246810',
    });
    expect(acked).toMatchObject({ parentCode: 'SB00020', acknowledgedBy: 'sup' });
    expect(op()?.username).toBe('dock');
    expect(await t.refusal('weights.acknowledge', { parent: 'SB00020' })).toBe('role_required');
  });

  it('wrong PINs lock the supervisor as a login would, parallel guesses included; the right one is then refused', async () => {
    await offWeight('SB00021');
    const guesses = Array.from({ length: 8 }, (_, i) =>
      t.api.dispatch('weights.acknowledge', { parent: 'SB00021', badge: 'SUP1', pin: `99999${i}` }),
    );
    const answers = await Promise.all(guesses);
    const codes = answers.map((a) => (a.ok ? 'ok' : a.error.code));
    expect(codes.filter((c) => c === 'bad_badge').length).toBeLessThanOrEqual(5);
    expect(codes).toContain('account_locked');
    expect(await t.refusal('weights.acknowledge', { parent: 'SB00021', badge: 'SUP1', pin: '246810' })).toBe(
      'account_locked',
    );
    expect(await t.refusal('auth.login', { badge: 'SUP1', pin: '246810' })).toBe('account_locked');
    t.clock.advance(16 * 60_000);
    await t.call('auth.login', { username: 'dock', password: PASSWORD });
    expect(
      await t.call('weights.acknowledge', { parent: 'SB00021', username: 'sup', password: PASSWORD }),
    ).toMatchObject({ acknowledgedBy: 'sup' });
  });

  it('holds the label of a parent whose weight is off until a supervisor has checked it', async () => {
    await offWeight('SB00023');
    // The weighing settled and the printer answers: nothing for SB00023 is queued or sent meanwhile.
    await vi.waitFor(() => expect(t.station.hardware.state(op()).printer?.state).toBe('ready'), WAIT);
    expect(t.rows('print_jobs', "parent_code = 'SB00023'")).toBe(0);
    expect(printer.labels().some((zpl) => zpl.includes('SB00023'))).toBe(false);
    await t.call('weights.acknowledge', { parent: 'SB00023', badge: 'SUP1', pin: '246810' });
    await labelDecodes('SB00023');
    expect(t.rows('print_jobs', "parent_code = 'SB00023' and reason = 'completed'")).toBe(1);
  });

  it('a logged-in supervisor acknowledges directly', async () => {
    await offWeight('SB00022');
    await t.login('sup');
    expect(await t.call('weights.acknowledge', { parent: 'SB00022' })).toMatchObject({
      acknowledgedBy: 'sup',
    });
    expect(t.rows('audit_log', "action = 'weight.acknowledge'")).toBe(1);
  });
});

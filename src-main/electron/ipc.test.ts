import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from '../api/dispatch.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';
import type { ShellFrame } from './electron-types.ts';
import { wireStationIpc, type StationIpc } from './ipc.ts';
import { stationCallChannel, stationEventChannel } from './preload-bridge.ts';
import { FakeIpcMain, FakeWebContents, frame } from './testing/fake-electron.ts';

let ts: TestStation;
let ipcMain: FakeIpcMain;
let contents: FakeWebContents;
let ipc: StationIpc;
const log: string[] = [];

beforeEach(async () => {
  ts = createTestStation();
  await ts.addUser('asha', 'supervisor');
  ipcMain = new FakeIpcMain();
  contents = new FakeWebContents('app://station/');
  const dispatcher = createDispatcher(ts.station);
  ipc = wireStationIpc({
    ipcMain,
    dispatch: dispatcher.dispatch,
    subscribe: ts.station.subscribe,
    target: () => contents,
    log: (line) => log.push(line),
  });
});
afterEach(async () => {
  await ipc.close();
  ts.dispose();
});

const call = (
  method: unknown,
  args: unknown,
  sender = contents,
  senderFrame: ShellFrame | null = sender.mainFrame,
) =>
  ipcMain.invoke(sender, senderFrame, stationCallChannel, method, args) as Promise<{
    ok: boolean;
    value?: { operator?: { username: string } };
    error?: { code: string; message: string };
  }>;

describe('StationApi over IPC', () => {
  it('registers one handler and runs calls through the same dispatcher as the HTTP host', async () => {
    expect([...ipcMain.handlers.keys()]).toEqual([stationCallChannel]);
    const login = await call('auth.login', { username: 'asha', password: PASSWORD });
    expect(login.ok).toBe(true);
    const whoami = await call('auth.whoami', {});
    expect(whoami).toMatchObject({ ok: true, value: { operator: { username: 'asha' } } });
    const scan = await call('scan.submit', { code: 'SB00001' });
    expect(scan).toMatchObject({ ok: true, value: { outcome: 'parent_active' } });
    expect(ts.journal().scans).toBe(1);
  });

  it('answers validation and rule refusals as results, never as thrown errors', async () => {
    expect(await call('auth.login', { username: 'asha' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect(await call('users.list', {})).toMatchObject({ ok: false, error: { code: 'not_logged_in' } });
    expect(await call('no.such.method', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await call({ toString: 'x' }, {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses calls from a subframe, a foreign origin, a gone frame or another window', async () => {
    const child = frame('app://station/', contents.mainFrame);
    const foreign = new FakeWebContents('https://evil.example/');
    const other = new FakeWebContents('app://station/');
    const refusals = [
      await call('auth.login', { username: 'asha', password: PASSWORD }, contents, child),
      await call('auth.login', { username: 'asha', password: PASSWORD }, foreign),
      await call('auth.login', { username: 'asha', password: PASSWORD }, contents, null),
      await call('auth.login', { username: 'asha', password: PASSWORD }, other),
    ];
    for (const r of refusals) expect(r).toMatchObject({ ok: false, error: { code: 'forbidden_origin' } });
    expect(ts.station.session.operator(false)).toBeNull();
    expect(log.filter((l) => l.includes('refused'))).toHaveLength(4);
  });

  it('sends contract events to the window, and nothing that is not a contract event', async () => {
    await call('auth.login', { username: 'asha', password: PASSWORD });
    await call('scan.submit', { code: 'SB00002' });
    ts.station.subscribe(() => {});
    (ts.station.emit as (name: string, payload: unknown) => void)('privateThing', { secret: 1 });
    const names = contents.sent.map((m) => (m.channel === stationEventChannel ? m.args[0] : m.channel));
    expect(names).toContain('onSession');
    expect(names).toContain('onScanResult');
    expect(names).not.toContain('privateThing');
    const scanEvent = contents.sent.find((m) => m.args[0] === 'onScanResult');
    expect(scanEvent?.args[1]).toMatchObject({ outcome: 'parent_active', code: 'SB00002' });
  });

  it('close waits for the calls in flight, so a scan commits before the database closes', async () => {
    await call('auth.login', { username: 'asha', password: PASSWORD });
    const scan = call('scan.submit', { code: 'SB00003' });
    await ipc.close();
    expect(ts.journal().scans).toBe(1);
    expect(await scan).toMatchObject({ ok: true, value: { outcome: 'parent_active' } });
  });

  it('after close: the handler is gone and events stop', async () => {
    await ipc.close();
    expect(ipcMain.handlers.size).toBe(0);
    await expect(call('auth.whoami', {})).rejects.toThrow(/No handler/);
    const before = contents.sent.length;
    await ts.addUser('ravi', 'dock');
    await ts.login('ravi');
    expect(contents.sent.length).toBe(before);
  });

  it('does not send to a destroyed window', async () => {
    contents.destroyed = true;
    await ts.login('asha');
    expect(contents.sent).toHaveLength(0);
  });
});

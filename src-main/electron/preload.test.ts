import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDesktop } from '../../scripts/build-main.ts';
import { eventNames, methodNames } from '../../src-shared/contract.ts';
import type { StationBridge } from '../../src-shared/bridge.ts';
import { fail, ok } from '../../src-shared/result.ts';
import {
  createStationBridge,
  stationCallChannel,
  stationEventChannel,
  stationSaveFileChannel,
  type BridgeIpcRenderer,
} from './preload-bridge.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

/** A stand-in ipcRenderer: records invokes, and lets the test push events as the main process would. */
function fakeIpcRenderer(answer: (channel: string, ...args: unknown[]) => Promise<unknown>) {
  const listeners = new Set<Listener>();
  const invoked: unknown[][] = [];
  const ipc: BridgeIpcRenderer & {
    push(...args: unknown[]): void;
    listeners: Set<Listener>;
    invoked: unknown[][];
  } = {
    invoked,
    listeners,
    invoke: (channel, ...args) => {
      invoked.push([channel, ...args]);
      return answer(channel, ...args);
    },
    on: (channel, listener) => {
      expect(channel).toBe(stationEventChannel);
      listeners.add(listener);
    },
    removeListener: (_channel, listener) => listeners.delete(listener),
    push: (...args) => {
      for (const l of [...listeners]) l({ sender: 'the ipc event object' }, ...args);
    },
  };
  return ipc;
}

describe('preload bridge', () => {
  const allow = { methods: methodNames, events: eventNames };

  it('passes contract calls to the main process and answers others with unknown_method', async () => {
    const ipc = fakeIpcRenderer(async () => ({ ok: true, value: 'pong' }));
    const bridge = createStationBridge(ipc, allow);
    expect(await bridge.call('auth.whoami')).toEqual({ ok: true, value: 'pong' });
    expect(ipc.invoked).toEqual([[stationCallChannel, 'auth.whoami', {}]]);
    const refused = await bridge.call('__proto__', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    expect(await bridge.call(42 as unknown as string)).toMatchObject({
      ok: false,
      error: { code: 'unknown_method' },
    });
    expect(ipc.invoked).toHaveLength(1);
  });

  it('turns a failed invoke into an internal result instead of a rejection', async () => {
    const bridge = createStationBridge(
      fakeIpcRenderer(() => Promise.reject(new Error("No handler registered for 'station:call'"))),
      allow,
    );
    expect(await bridge.call('auth.whoami')).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('delivers only the named event, only its payload, and stops on unsubscribe', () => {
    const ipc = fakeIpcRenderer(async () => null);
    const bridge = createStationBridge(ipc, allow);
    const got: unknown[][] = [];
    const off = bridge.on('onScanResult', (...args) => got.push(args));
    ipc.push('onSession', { operator: null });
    ipc.push('onScanResult', { outcome: 'linked' });
    off();
    ipc.push('onScanResult', { outcome: 'parent_active' });
    expect(got).toEqual([[{ outcome: 'linked' }]]);
    expect(ipc.listeners.size).toBe(0);
    expect(() => bridge.on('onAnything', () => {})).toThrow(/no station event called onAnything/);
    expect(() => bridge.on('onScanResult', 'x' as unknown as () => void)).toThrow(TypeError);
  });

  it('is frozen: the page cannot swap call or on', () => {
    const bridge = createStationBridge(
      fakeIpcRenderer(async () => null),
      allow,
    );
    expect(Object.isFrozen(bridge)).toBe(true);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'on', 'saveFile']);
  });

  it('sends saveFile to the main process with the three file fields only, and hands back its answer', async () => {
    const ipc = fakeIpcRenderer(async () => ok({ path: '/home/asha/bill.pdf' }));
    const bridge = createStationBridge(ipc, allow);
    const file = { fileName: 'bill.pdf', mimeType: 'application/pdf', dataBase64: 'JVBE' };
    const answer = await bridge.saveFile({ ...file, extra: 'dropped' } as typeof file);
    expect(answer).toEqual(ok({ path: '/home/asha/bill.pdf' }));
    expect(ipc.invoked).toEqual([[stationSaveFileChannel, file]]);
  });

  it('answers save_failed, never a rejection, when the main process cannot be reached', async () => {
    const bridge = createStationBridge(
      fakeIpcRenderer(async () => {
        throw new Error('the main process is gone');
      }),
      allow,
    );
    const answer = await bridge.saveFile({
      fileName: 'bill.pdf',
      mimeType: 'application/pdf',
      dataBase64: '',
    });
    expect(answer).toEqual(fail('save_failed', { detail: 'the main process is gone' }));
  });
});

describe('preload bundle', () => {
  let dir: string;
  let code: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-build-'));
    const out = await buildDesktop({ outDir: dir });
    code = readFileSync(out.preload, 'utf8');
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is one CommonJS script that requires nothing but electron', () => {
    expect(() => new Script(code)).not.toThrow();
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\(/);
    const required = [...code.matchAll(/\brequire\(([^)]*)\)/g)].map((m) => m[1]);
    expect(required).toEqual(['"electron"']);
  });

  it('exposes window.station with call and on for exactly the contract names, and saveFile', async () => {
    const exposed = new Map<string, StationBridge>();
    const ipc = fakeIpcRenderer(async (channel, method) =>
      channel === stationSaveFileChannel ? fail('save_cancelled') : { ok: true, value: method },
    );
    const electronStub = {
      contextBridge: { exposeInMainWorld: (key: string, api: StationBridge) => exposed.set(key, api) },
      ipcRenderer: ipc,
    };
    const module = { exports: {} };
    const context = createContext({
      module,
      exports: module.exports,
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`the preload required ${name}`);
        return electronStub;
      },
    });
    new Script(code).runInContext(context);
    expect([...exposed.keys()]).toEqual(['station']);
    const station = exposed.get('station')!;
    expect(Object.keys(station).sort()).toEqual(['call', 'on', 'saveFile']);
    const file = { fileName: 'bill.csv', mimeType: 'text/csv', dataBase64: '' };
    expect(await station.saveFile(file)).toEqual(fail('save_cancelled'));
    expect(ipc.invoked.at(-1)).toEqual([stationSaveFileChannel, file]);
    for (const method of methodNames)
      expect(await station.call(method, {})).toEqual({ ok: true, value: method });
    expect(await station.call('shell.openExternal', {})).toMatchObject({ ok: false });
    for (const event of eventNames) station.on(event, () => {})();
    expect(() => station.on('ipc', () => {})).toThrow();
  });
});

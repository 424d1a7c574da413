import fs from 'node:fs';
import type { PortStatus, ScannerPortDeps } from '../scanner/port.ts';
import type { PortState } from '../../src-shared/scanners.ts';
import { ScannerPort } from '../scanner/port.ts';
import type { SerialHandle } from '../scanner/serial-handle.ts';
import type { ScalePortProblem, ScaleProblem } from './codes.ts';
import type { OpenFramedSerial, SerialFraming } from './serial-open.ts';
import { openFramedSerial } from './serial-open.ts';

export interface ScalePortStatus {
  state: PortState;
  /** Why the port is not ready, when it is not and we know why. */
  problem?: ScaleProblem<ScalePortProblem>;
}

export interface ScalePortListener {
  onData(chunk: Buffer): void;
  onStatus(status: ScalePortStatus): void;
}

export type ScalePortDeps = Partial<Omit<ScannerPortDeps, 'openSerial'>> & { openSerial?: OpenFramedSerial };

/** What went wrong opening a port, as a code: the scale's twin of scanner/messages.ts describePortError. */
export function scalePortProblem(path: string, error: unknown): ScaleProblem<ScalePortProblem> {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const text = typeof err?.message === 'string' ? err.message : String(error);
  if (code === 'EACCES' || /permission denied|EACCES/i.test(text))
    return { code: 'scale_permission_denied', params: { path } };
  if (code === 'EBUSY' || /cannot lock port|resource busy|EBUSY/i.test(text))
    return { code: 'scale_port_busy', params: { path } };
  if (code === 'ENOENT' || /no such file|ENOENT/i.test(text))
    return { code: 'scale_unplugged', params: { path } };
  const detail = text.replace(/^Error:?\s*/, '').replace(/[.\s]+$/, '');
  return { code: 'scale_open_failed', params: { path, detail } };
}

/**
 * The serial port of one scale: open with its framing, reconnect with backoff after an unplug, raw bytes out.
 * The lifecycle (connecting -> ready -> lost -> reconnecting ..., the old handle closed before the path is opened
 * again, a poll of the path to notice an unplug that raised no event) is the scanners' ScannerPort, reused as it
 * is: it opens through our framed opener and is never given the bytes, which go to the scale's own reader.
 */
export class ScalePort {
  private readonly link: ScannerPort;
  private opened: SerialHandle | undefined;
  private active: SerialHandle | undefined;
  private openProblem: ScaleProblem<ScalePortProblem> | undefined;
  private current: ScalePortStatus = { state: 'stopped' };

  constructor(
    readonly path: string,
    framing: SerialFraming,
    private readonly listener: ScalePortListener,
    deps: ScalePortDeps = {},
  ) {
    const open = deps.openSerial ?? openFramedSerial;
    const openSerial = async (): Promise<SerialHandle> => {
      let handle: SerialHandle;
      try {
        handle = await open({ path, ...framing });
      } catch (error) {
        this.openProblem = scalePortProblem(path, error);
        throw error;
      }
      this.opened = handle;
      handle.onData((chunk) => {
        if (this.active === handle) listener.onData(chunk);
      });
      return { ...handle, onData: () => undefined };
    };
    this.link = new ScannerPort(
      { path, baudRate: framing.baudRate, interByteTimeoutMs: 0 },
      { onEvent: () => undefined, onStatus: (status) => this.follow(status) },
      { ...deps, openSerial },
    );
  }

  get status(): ScalePortStatus {
    return { ...this.current };
  }

  start(): void {
    this.link.start();
  }

  stop(): Promise<void> {
    return this.link.stop();
  }

  /** Sends bytes to the scale; false when the port is not ready or the write failed. */
  async write(bytes: Uint8Array): Promise<boolean> {
    const handle = this.active;
    if (!handle) return false;
    return handle.write(bytes).then(
      () => true,
      () => false,
    );
  }

  private follow(status: PortStatus): void {
    let problem: ScaleProblem<ScalePortProblem> | undefined;
    if (status.state === 'ready') {
      this.active = this.opened;
      this.openProblem = undefined;
    } else {
      this.active = undefined;
      if (status.state === 'lost') {
        problem = fs.existsSync(this.path)
          ? { code: 'scale_connection_lost', params: { path: this.path, detail: 'closed' } }
          : { code: 'scale_unplugged', params: { path: this.path } };
      } else if (status.state !== 'stopped') {
        problem = this.openProblem ?? this.current.problem;
      }
    }
    this.current = problem ? { state: status.state, problem } : { state: status.state };
    this.listener.onStatus(this.status);
  }
}

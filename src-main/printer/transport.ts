import { constants as fsConstants } from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import type { OpenSerial } from '../scanner/serial-handle.ts';
import { openSerialPort } from '../scanner/serial-handle.ts';
import { hostStatusComplete } from './host-status.ts';

/** How the station reaches its label printer (settings). */
export type PrinterConnection =
  | { kind: 'tcp'; host: string; port?: number }
  /** A serial or USB-serial printer, opened with serialport like the scanners; it can answer ~HS. */
  | { kind: 'serial'; path: string; baudRate?: number }
  /** A printer device file such as /dev/usb/lp0: written like a file, it never answers. */
  | { kind: 'device'; path: string };

export const DEFAULT_PRINTER_PORT = 9100;

/**
 * What one exchange came to. `connect`: nothing reached the printer, so sending again is safe. `write`: the
 * connection broke while writing, so part or all of the label may have arrived: sending again may print it twice.
 */
export type ExchangeOutcome =
  | { stage: 'done'; reply: Buffer }
  | { stage: 'connect'; error: unknown }
  | { stage: 'write'; error: unknown };

export interface PrinterTransport {
  /** host:port or the device path, for the sentences. */
  readonly target: string;
  /** False for a device file: no status can come back. */
  readonly answers: boolean;
  /** Writes `bytes`, then collects what the printer says until a full ~HS answer or `replyTimeoutMs`. */
  exchange(bytes: Buffer, replyTimeoutMs: number): Promise<ExchangeOutcome>;
}

export interface TransportDeps {
  openSerial: OpenSerial;
  /** Longest wait for a connection, or for the printer to take the bytes (a full buffer, flow control held). */
  ioTimeoutMs: number;
}

const defaultDeps: TransportDeps = { openSerial: openSerialPort, ioTimeoutMs: 10_000 };

function timedOut(): Error {
  return Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' });
}

/** Rejects with ETIMEDOUT when `work` takes longer than `ms`. */
async function within<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(timedOut()), ms)));
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}

export function openPrinterTransport(
  connection: PrinterConnection,
  deps: Partial<TransportDeps> = {},
): PrinterTransport {
  const { openSerial, ioTimeoutMs } = { ...defaultDeps, ...deps };
  switch (connection.kind) {
    case 'tcp':
      return tcpTransport(connection.host, connection.port ?? DEFAULT_PRINTER_PORT, ioTimeoutMs);
    case 'serial':
      return serialTransport(connection.path, connection.baudRate ?? 9600, openSerial, ioTimeoutMs);
    case 'device':
      return deviceTransport(connection.path, ioTimeoutMs);
  }
}

/** Collects reply bytes; resolves when the ~HS answer is whole, the time is up, or the other side closed. */
function replyCollector(replyTimeoutMs: number) {
  const chunks: Buffer[] = [];
  let finish: () => void = () => undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    push(chunk: Buffer) {
      chunks.push(chunk);
      if (hostStatusComplete(Buffer.concat(chunks))) finish();
    },
    /** Starts the clock once everything is written. */
    wait: async (): Promise<Buffer> => {
      timer = setTimeout(finish, replyTimeoutMs);
      await done;
      clearTimeout(timer);
      return Buffer.concat(chunks);
    },
    end: () => finish(),
  };
}

function tcpTransport(host: string, port: number, ioTimeoutMs: number): PrinterTransport {
  return {
    target: `${host}:${port}`,
    answers: true,
    exchange: (bytes, replyTimeoutMs) =>
      new Promise((resolve) => {
        const socket = net.connect({ host, port });
        const reply = replyCollector(replyTimeoutMs);
        let connected = false;
        let written = false;
        let settled = false;
        const settle = (outcome: ExchangeOutcome) => {
          if (settled) return;
          settled = true;
          socket.destroy();
          resolve(outcome);
        };
        // No progress for ioTimeoutMs: before the connection nothing was sent; after it, part may have been.
        socket.setTimeout(ioTimeoutMs, () => {
          if (!written) settle({ stage: connected ? 'write' : 'connect', error: timedOut() });
        });
        socket.on('error', (error) => settle({ stage: connected ? 'write' : 'connect', error }));
        socket.on('data', (chunk: Buffer) => reply.push(chunk));
        socket.on('end', () => reply.end());
        socket.on('connect', () => {
          connected = true;
          socket.write(bytes, (error) => {
            if (error) return settle({ stage: 'write', error });
            written = true;
            socket.setTimeout(0);
            void reply.wait().then((answer) => settle({ stage: 'done', reply: answer }));
          });
        });
      }),
  };
}

function serialTransport(
  path: string,
  baudRate: number,
  openSerial: OpenSerial,
  ioTimeoutMs: number,
): PrinterTransport {
  return {
    target: path,
    answers: true,
    async exchange(bytes, replyTimeoutMs) {
      let handle;
      try {
        handle = await within(openSerial({ path, baudRate }), ioTimeoutMs);
      } catch (error) {
        return { stage: 'connect', error };
      }
      const reply = replyCollector(replyTimeoutMs);
      handle.onData((chunk) => reply.push(chunk));
      handle.onGone(() => reply.end());
      try {
        await within(handle.write(bytes), ioTimeoutMs);
        return { stage: 'done', reply: await reply.wait() };
      } catch (error) {
        return { stage: 'write', error };
      } finally {
        await handle.close().catch(() => undefined);
      }
    },
  };
}

/** Opened for writing, never created nor truncated: a missing device fails to connect instead of becoming a file. */
const DEVICE_FLAGS = fsConstants.O_WRONLY | fsConstants.O_NOCTTY;

function notADevice(path: string): Error {
  return Object.assign(new Error(`${path} is not a character device`), { code: 'ENOTCHR' });
}

/**
 * A write to a printer that is off may block in the kernel: the exchange gives up after ioTimeoutMs. Only a
 * character device is written: an ordinary file at the path (a wrong setting) is left as it is.
 */
function deviceTransport(path: string, ioTimeoutMs: number): PrinterTransport {
  return {
    target: path,
    answers: false,
    async exchange(bytes) {
      let file;
      try {
        file = await within(fsp.open(path, DEVICE_FLAGS), ioTimeoutMs);
        if (!(await file.stat()).isCharacterDevice()) throw notADevice(path);
      } catch (error) {
        await file?.close().catch(() => undefined);
        return { stage: 'connect', error };
      }
      try {
        await within(file.write(bytes), ioTimeoutMs);
        return { stage: 'done', reply: Buffer.alloc(0) };
      } catch (error) {
        return { stage: 'write', error };
      } finally {
        await file.close().catch(() => undefined);
      }
    },
  };
}

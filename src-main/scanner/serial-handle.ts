import fsp from 'node:fs/promises';
import { SerialPort } from 'serialport';

/** The little a ScannerPort needs from an open serial port; tests pass a fake, the station passes serialport. */
export interface SerialHandle {
  onData(listener: (chunk: Buffer) => void): void;
  /** Called once when the port closes by itself or fails (unplug, I/O error); not after our own close(). */
  onGone(listener: (error?: Error) => void): void;
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

export type OpenSerial = (options: { path: string; baudRate: number }) => Promise<SerialHandle>;

/** Opens a real port with serialport, locked so a second program cannot read the same scanner. */
export const openSerialPort: OpenSerial = ({ path, baudRate }) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, baudRate, lock: true, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(wrapSerialPort(port))));
  });

function wrapSerialPort(port: SerialPort): SerialHandle {
  let closing = false;
  let gone = false;
  const goneListeners: Array<(error?: Error) => void> = [];
  const reportGone = (error?: Error): void => {
    if (closing || gone) return;
    gone = true;
    for (const listener of goneListeners) listener(error);
  };
  port.on('close', (error?: Error) => reportGone(error));
  port.on('error', (error: Error) => reportGone(error));
  return {
    onData: (listener) => void port.on('data', listener),
    onGone: (listener) => void goneListeners.push(listener),
    write: (bytes) =>
      new Promise((resolve, reject) => {
        port.write(Buffer.from(bytes), (error) => (error ? reject(error) : port.drain(() => resolve())));
      }),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (!port.isOpen) return resolve();
        port.close(() => resolve());
      }),
  };
}

export async function pathExists(file: string): Promise<boolean> {
  return fsp.access(file).then(
    () => true,
    () => false,
  );
}

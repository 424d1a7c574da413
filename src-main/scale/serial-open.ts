import { SerialPort } from 'serialport';
import type { SerialHandle } from '../scanner/serial-handle.ts';

/** How the bytes are framed on the wire; scales often run 7 data bits with even parity (7E1). */
export interface SerialFraming {
  baudRate: number;
  dataBits: 7 | 8;
  parity: 'none' | 'even' | 'odd';
  stopBits: 1 | 2;
}

export const DEFAULT_FRAMING: SerialFraming = { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 };

export type OpenFramedSerial = (options: { path: string } & SerialFraming) => Promise<SerialHandle>;

/**
 * Opens a port with its framing, locked like the scanners' ports. The twin of scanner/serial-handle.ts's
 * openSerialPort, which opens 8N1 only: when that one takes a framing, this file can go.
 */
export const openFramedSerial: OpenFramedSerial = ({ path, ...framing }) =>
  new Promise((resolve, reject) => {
    const port = new SerialPort({ path, ...framing, lock: true, autoOpen: false });
    port.open((error) => (error ? reject(error) : resolve(handleOf(port))));
  });

function handleOf(port: SerialPort): SerialHandle {
  let closing = false;
  let gone = false;
  const goneListeners: Array<(error?: Error) => void> = [];
  const reportGone = (error?: Error): void => {
    if (closing || gone) return;
    gone = true;
    for (const listener of goneListeners) listener(error);
  };
  port.on('close', reportGone);
  port.on('error', reportGone);
  return {
    onData: (listener) => void port.on('data', listener),
    onGone: (listener) => void goneListeners.push(listener),
    write: (bytes) =>
      new Promise((resolve, reject) =>
        port.write(Buffer.from(bytes), (error) => (error ? reject(error) : port.drain(() => resolve()))),
      ),
    close: () =>
      new Promise((resolve) => {
        closing = true;
        if (port.isOpen) port.close(() => resolve());
        else resolve();
      }),
  };
}

import net from 'node:net';
import type { Duplex } from 'node:stream';
import type { PrinterProblem } from '../host-status.ts';
import { HOST_STATUS_QUERY } from '../host-status.ts';

/** A ~HS answer laid out as the ZPL II Programming Guide gives it (see host-status.ts), with the chosen flags. */
export function hostStatusReply(problems: readonly PrinterProblem[], formatsInBuffer = 0): Buffer {
  const on = (problem: PrinterProblem) => (problems.includes(problem) ? '1' : '0');
  const formats = String(formatsInBuffer).padStart(3, '0');
  const first = [
    '030',
    on('paper_out'),
    on('paused'),
    '1218',
    formats,
    on('buffer_full'),
    '0',
    '0',
    '000',
    on('corrupt_ram'),
    on('under_temperature'),
    on('over_temperature'),
  ];
  const second = ['001', '0', on('head_open'), on('ribbon_out'), '0', '2', '4', '0', '00000000', '1', '000'];
  const strings = [first.join(','), second.join(','), '1234,0'];
  return Buffer.from(strings.map((s) => `\x02${s}\x03\r\n`).join(''), 'latin1');
}

/**
 * A label printer on 127.0.0.1 for the tests: keeps every byte it is sent and answers each ~HS with the status set
 * in `problems`, or not at all when `silent` (as a Zebra with its paper out, or a printer without status).
 */
export class FakePrinter {
  problems: PrinterProblem[] = [];
  silent = false;
  /** Leaves a ~HS unanswered when it follows a label on the same connection: a printer stuck after taking one. */
  muteAfterLabel = false;
  /** Resets this many connections (TCP RST) right after a label's ^XZ arrives: a cable pulled mid-label. */
  resetAfterLabel = 0;
  /** Every byte received, over all connections, in order. */
  received = Buffer.alloc(0);
  connections = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();

  async listen(port = 0): Promise<number> {
    const server = net.createServer((socket) => this.serve(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** The ZPL formats (^XA ... ^XZ) received so far. */
  labels(): string[] {
    return this.received.toString('utf8').match(/\^XA[\s\S]*?\^XZ/g) ?? [];
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  private serve(socket: net.Socket): void {
    this.connections++;
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    this.serveStream(socket);
  }

  /** Plays the printer on any byte stream: a TCP connection, or the far end of a serial pty pair. */
  serveStream(socket: Duplex): void {
    socket.on('error', () => undefined);
    let seen = '';
    let sawLabel = false;
    socket.on('data', (chunk: Buffer) => {
      this.received = Buffer.concat([this.received, chunk]);
      if (socket instanceof net.Socket && this.resetAfterLabel > 0 && chunk.includes('^XZ')) {
        this.resetAfterLabel--;
        socket.resetAndDestroy();
        return;
      }
      seen += chunk.toString('latin1');
      sawLabel ||= chunk.includes('^XZ');
      // Answer each complete ~HS as it arrives; keep a short tail in case a query is split across chunks.
      let at: number;
      while ((at = seen.indexOf(HOST_STATUS_QUERY)) >= 0) {
        seen = seen.slice(at + HOST_STATUS_QUERY.length);
        if (!this.silent && !(this.muteAfterLabel && sawLabel)) socket.write(hostStatusReply(this.problems));
      }
      seen = seen.slice(-(HOST_STATUS_QUERY.length - 1));
    });
  }
}

import net from 'node:net';
import { HOST_STATUS_QUERY } from '../printer/host-status.ts';

/** A ready printer's ~HS answer (ZPL II Programming Guide layout): nothing wrong, no formats waiting. */
const READY = ['030,0,0,1218,000,0,0,0,000,0,0,0', '001,0,0,0,0,2,4,0,00000000,1,000', '1234,0']
  .map((s) => `\x02${s}\x03\r\n`)
  .join('');

/**
 * A label printer on 127.0.0.1 for the bench: keeps the labels it is sent and answers every ~HS as ready, so the
 * station's queue works as it does with a Zebra on port 9100.
 */
export async function startZplListener(): Promise<{
  port: number;
  labels(): number;
  close(): Promise<void>;
}> {
  let received = '';
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    socket.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      received += text;
      for (let at = text.indexOf(HOST_STATUS_QUERY); at >= 0; at = text.indexOf(HOST_STATUS_QUERY, at + 1))
        socket.write(READY, 'latin1');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    labels: () => received.match(/\^XA[\s\S]*?\^XZ/g)?.length ?? 0,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

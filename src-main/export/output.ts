import { once } from 'node:events';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';

/** Writes one chunk and waits while the file is behind, so a large export never piles up in memory. */
export async function put(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/** Ends the stream and waits until everything is on disk (or in the buffer). */
export async function close(out: Writable): Promise<void> {
  out.end();
  await finished(out);
}

/** A stream that keeps what is written: the API answers with the whole file, base64-encoded. */
export class BufferOutput extends Writable {
  private readonly chunks: Buffer[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    this.chunks.push(chunk);
    done();
  }

  buffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

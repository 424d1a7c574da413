/**
 * Test support: `baglink` run in this process with its output kept. The tests of the folders below the CLI
 * (central, sync, scale) drive a command through here, never by importing src-main/cli themselves.
 */
import { Readable } from 'node:stream';
import type { CliIo } from '../cli/io.ts';
import { main } from '../cli/main.ts';

/** Runs `baglink args` in this process; answers the exit code. */
export function runBaglink(args: string[], io: CliIo): Promise<number> {
  return main(args, io);
}

/** An io that keeps what a command prints; standard input is empty unless given. */
export function captureIo(stdin: NodeJS.ReadableStream = Readable.from([])) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), stdin };
  return { io, out, err };
}

import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { scannerMessage } from './messages.ts';
import type { OpenSerial } from './serial-handle.ts';
import { openSerialPort } from './serial-handle.ts';

export type SimTerminator = 'cr' | 'lf' | 'crlf' | 'tab' | 'none';

export interface ScanSimOptions {
  port: string;
  codes: string[] | AsyncIterable<string>;
  terminator: SimTerminator;
  /** Codes per second; unset writes as fast as the port takes them. */
  ratePerSecond?: number;
  baudRate?: number;
  /** Injected for tests; defaults to serialport. */
  openSerial?: OpenSerial;
}

const terminatorBytes: Record<SimTerminator, string> = {
  cr: '\r',
  lf: '\n',
  crlf: '\r\n',
  tab: '\t',
  none: '',
};

/**
 * Pause between codes when the terminator does not end a line (tab, none): the reader then ends lines by its
 * inter-byte timeout (50 ms by default), so codes written back to back would run together.
 */
const GAP_WITHOUT_LINE_END_MS = 150;

/** Plays a serial scanner: writes each code and its terminator to a port. Returns how many codes were written. */
export async function runScanSim(options: ScanSimOptions): Promise<number> {
  const open = options.openSerial ?? openSerialPort;
  const handle = await open({ path: options.port, baudRate: options.baudRate ?? 9600 });
  const terminator = terminatorBytes[options.terminator];
  const endsLine = options.terminator !== 'tab' && options.terminator !== 'none';
  const rateGap = options.ratePerSecond ? 1000 / options.ratePerSecond : 0;
  const gapMs = endsLine ? rateGap : Math.max(rateGap, GAP_WITHOUT_LINE_END_MS);
  let written = 0;
  try {
    for await (const code of options.codes) {
      if (written > 0 && gapMs > 0) await sleep(gapMs);
      await handle.write(Buffer.from(code + terminator, 'utf8'));
      written++;
    }
    if (!endsLine && written > 0) await sleep(GAP_WITHOUT_LINE_END_MS);
  } finally {
    await handle.close();
  }
  return written;
}

/**
 * `--port /dev/ttyUSB0 --terminator crlf --rate 5 CODE1 CODE2`; with no codes given, codes are read one per line
 * from `input` (stdin by default). Throws an Error whose message says what to fix.
 */
export function parseScanSimArgs(
  argv: string[],
  input: NodeJS.ReadableStream = process.stdin,
): ScanSimOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      terminator: { type: 'string', default: 'crlf' },
      rate: { type: 'string' },
      baud: { type: 'string' },
    },
  });
  if (!values.port) throw new Error(scannerMessage('sim_port_missing'));
  const terminator = values.terminator ?? 'crlf';
  if (!(terminator in terminatorBytes)) throw new Error(scannerMessage('sim_bad_terminator', { terminator }));
  const options: ScanSimOptions = {
    port: values.port,
    terminator: terminator as SimTerminator,
    codes: positionals.length > 0 ? positionals : linesOf(input),
  };
  if (values.rate !== undefined) options.ratePerSecond = positiveNumber('rate', values.rate);
  if (values.baud !== undefined) options.baudRate = positiveNumber('baud', values.baud);
  return options;
}

function positiveNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(scannerMessage('sim_bad_number', { flag, value: text }));
  return value;
}

/** Non-empty trimmed lines of a text stream. */
export async function* linesOf(input: NodeJS.ReadableStream): AsyncIterable<string> {
  for await (const line of readline.createInterface({ input, crlfDelay: Infinity })) {
    const code = line.trim();
    if (code) yield code;
  }
}

/**
 * Turns the byte stream of one serial scanner into lines. Pure: no timers and no I/O. The owner of the port calls
 * `flush()` when no byte has arrived for the inter-byte timeout, which ends a line from scanners with no suffix.
 *
 * Guarantees: every non-empty line comes out exactly once, as a `line` or as a `rejected` with a reason; memory per
 * decoder is bounded by `maxLineBytes` whatever arrives; CRLF counts as one terminator even when split across chunks.
 */
import { TextDecoder } from 'node:util';

export type RejectReason = 'line_too_long' | 'invalid_utf8' | 'control_characters';

export type DecodedEvent =
  | { kind: 'line'; text: string; aim?: string; raw: string }
  | { kind: 'rejected'; raw: string; reason: RejectReason };

export interface DecoderOptions {
  /** Stripped from the start of a line when present (after trimming). */
  prefix?: string;
  /** Stripped from the end of a line when present (after trimming). */
  suffix?: string;
  /** Longest line kept, in bytes without the terminator. Default 256. */
  maxLineBytes?: number;
  /** Parse an AIM symbology identifier (`]Q1`) at the start of a line. Default true. */
  parseAim?: boolean;
}

export const DEFAULT_MAX_LINE_BYTES = 256;
export const DEFAULT_INTER_BYTE_TIMEOUT_MS = 50;
const RAW_PREVIEW_CHARS = 120;
const CR = 0x0d;
const LF = 0x0a;
const GS = 0x1d;
const AIM_PATTERN = /^\][A-Za-z][0-9A-Za-z]/;

export class LineDecoder {
  private readonly maxLineBytes: number;
  private readonly buffer: Buffer;
  private length = 0;
  private overflowed = false;
  private lastWasCR = false;
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });

  constructor(private readonly options: DecoderOptions = {}) {
    this.maxLineBytes = Math.max(1, options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
    this.buffer = Buffer.alloc(this.maxLineBytes);
  }

  /** True while a line has started but not ended: the port arms the inter-byte timer then. */
  get hasPending(): boolean {
    return this.length > 0 || this.overflowed;
  }

  push(chunk: Uint8Array): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    for (const byte of chunk) {
      if (byte === LF && this.lastWasCR) {
        this.lastWasCR = false;
        continue;
      }
      this.lastWasCR = byte === CR;
      if (byte === CR || byte === LF) {
        this.endLine(events);
      } else if (this.length < this.maxLineBytes) {
        this.buffer[this.length++] = byte;
      } else {
        // Keep the first maxLineBytes for the report, drop the rest: a line with no end cannot grow memory.
        this.overflowed = true;
      }
    }
    return events;
  }

  /** Ends the line in progress (inter-byte timeout or end of stream). */
  flush(): DecodedEvent[] {
    const events: DecodedEvent[] = [];
    this.endLine(events);
    return events;
  }

  /** Forgets a partial line, e.g. when the port was lost in the middle of one. */
  reset(): void {
    this.length = 0;
    this.overflowed = false;
    this.lastWasCR = false;
  }

  private endLine(events: DecodedEvent[]): void {
    const bytes = Buffer.from(this.buffer.subarray(0, this.length));
    const overflowed = this.overflowed;
    this.length = 0;
    this.overflowed = false;
    if (bytes.length === 0 && !overflowed) return;
    const event = overflowed
      ? rejected(bytes, 'line_too_long', true)
      : decodeLine(bytes, this.utf8, this.options);
    if (event) events.push(event);
  }
}

/** Decodes one complete line (terminator removed). Returns null for a line that is empty after trimming. */
export function decodeLine(
  bytes: Uint8Array,
  utf8: TextDecoder,
  options: Pick<DecoderOptions, 'prefix' | 'suffix' | 'parseAim'> = {},
): DecodedEvent | null {
  let raw: string;
  try {
    raw = utf8.decode(bytes);
  } catch {
    return rejected(bytes, 'invalid_utf8', false);
  }
  let text = raw.trim();
  if (text.length === 0) return null;
  if (hasControlCharacters(text)) return rejected(bytes, 'control_characters', false);
  if (options.prefix && text.startsWith(options.prefix)) text = text.slice(options.prefix.length);
  let aim: string | undefined;
  const aimMatch = options.parseAim === false ? null : AIM_PATTERN.exec(text);
  if (aimMatch) {
    aim = aimMatch[0];
    text = text.slice(aim.length);
  }
  if (options.suffix && text.endsWith(options.suffix)) text = text.slice(0, -options.suffix.length);
  text = text.trim();
  if (text.length === 0) return null;
  return aim === undefined ? { kind: 'line', text, raw } : { kind: 'line', text, aim, raw };
}

/** C0 controls, DEL and C1 controls; GS (0x1D) is kept because GS1 codes use it as a field separator. */
function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== GS) || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function rejected(bytes: Uint8Array, reason: RejectReason, truncated: boolean): DecodedEvent {
  return { kind: 'rejected', raw: escapeBytes(bytes, truncated), reason };
}

/** Printable form of bytes for a log or a screen: ASCII as is, anything else as \xNN, capped in length. */
export function escapeBytes(bytes: Uint8Array, truncated = false): string {
  let out = '';
  for (const byte of bytes) {
    const piece =
      byte >= 0x20 && byte < 0x7f && byte !== 0x5c
        ? String.fromCharCode(byte)
        : byte === 0x5c
          ? '\\\\'
          : `\\x${byte.toString(16).padStart(2, '0')}`;
    if (out.length + piece.length > RAW_PREVIEW_CHARS) return `${out}…`;
    out += piece;
  }
  return truncated ? `${out}…` : out;
}

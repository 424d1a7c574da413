import {
  closeSync,
  existsSync,
  fchmodSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';

/** The log names scanners, users and errors: owner-only, also a file an older version made 0644. */
function ownerOnly(fd: number): number {
  if (process.platform !== 'win32') fchmodSync(fd, 0o600);
  return fd;
}

export interface RotatingFileOptions {
  path: string;
  /** Rotate once the file reaches this size (default 5 MB). */
  maxBytes?: number;
  /** How many old files to keep beside the current one: station.log.1 … .N (default 5). */
  keep?: number;
}

/**
 * An append-only log file that rolls over by size: station.log -> station.log.1 -> … -> dropped. Writes are
 * synchronous so the last lines before a crash are on disk; log lines are small and few.
 */
export class RotatingFile {
  private fd: number;
  private size: number;
  private readonly maxBytes: number;
  private readonly keep: number;

  constructor(private readonly options: RotatingFileOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = Math.max(1, options.keep ?? 5);
    mkdirSync(dirname(options.path), { recursive: true, mode: 0o700 });
    this.fd = ownerOnly(openSync(options.path, 'a', 0o600));
    this.size = fstatSync(this.fd).size;
  }

  write(line: string): boolean {
    if (this.fd < 0) return false;
    const bytes = Buffer.from(line);
    if (this.size > 0 && this.size + bytes.length > this.maxBytes) this.rotate();
    writeSync(this.fd, bytes);
    this.size += bytes.length;
    return true;
  }

  close(): void {
    if (this.fd < 0) return;
    closeSync(this.fd);
    this.fd = -1;
  }

  private rotate(): void {
    closeSync(this.fd);
    const { path } = this.options;
    rmSync(`${path}.${this.keep}`, { force: true });
    for (let n = this.keep - 1; n >= 1; n--) {
      if (existsSync(`${path}.${n}`)) renameSync(`${path}.${n}`, `${path}.${n + 1}`);
    }
    renameSync(path, `${path}.1`);
    this.fd = ownerOnly(openSync(path, 'a', 0o600));
    this.size = 0;
  }
}

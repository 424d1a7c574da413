/**
 * Time inside the server, per call, from PostgreSQL's own log: with log_min_duration_statement = 0 set for the
 * pooled login alone, each extended-protocol call logs its parse, bind and execute durations on its backend's
 * line prefix ("%m [%p] "). Parameters are never logged (log_parameter_max_length = 0 for that login).
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { summarize } from './stats.ts';

/** Where the log ends now: durations are read from here on. */
export function serverLogMark(path: string): number {
  return statSync(path).size;
}

function readFrom(path: string, offset: number): string {
  const size = statSync(path).size;
  const buf = Buffer.alloc(Math.max(0, size - offset));
  const fd = openSync(path, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

const line = /\[(\d+)\][^\n]*?duration: ([\d.]+) ms {2}(parse|bind|execute) [^:]*: ([^\n]*)/g;

/** Milliseconds each sync.push call spent in the server (parse + bind + execute on its backend). */
export function pushDurations(path: string, mark: number) {
  const pending = new Map<string, number>();
  const calls: number[] = [];
  for (const m of readFrom(path, mark).matchAll(line)) {
    const [, pid, ms, phase, sql] = m;
    if (!sql!.includes('sync.push')) continue;
    const sum = (pending.get(pid!) ?? 0) + Number(ms);
    if (phase === 'execute') {
      calls.push(sum);
      pending.delete(pid!);
    } else pending.set(pid!, sum);
  }
  const s = summarize(calls);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.n, p50: r(s.p50), p95: r(s.p95), max: r(s.max) };
}

/** The setting that makes the pooled login's calls appear in the log with their durations (superuser). */
export function logDurationsSql(login: string): string {
  return `alter role "${login.replace(/"/g, '""')}" set log_min_duration_statement = 0`;
}

/** Client logins PgBouncer logged since `mark` (each one a TLS handshake and a SCRAM exchange). */
export function bouncerLogins(path: string, mark: number): number {
  return readFrom(path, mark).split('login attempt').length - 1;
}

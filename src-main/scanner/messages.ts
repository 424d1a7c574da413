import { formatError, type ErrorCode } from '../../src-shared/errors.ts';

/** The scanner's sentences live in the one catalogue (src-shared/errors.ts) with everything else a person reads. */
export type ScannerMessageCode = Extract<
  ErrorCode,
  | 'permission_denied'
  | 'port_busy'
  | 'port_busy_modem_manager'
  | 'unplugged'
  | 'open_failed'
  | 'connection_lost'
  | 'vendor_not_scanner'
  | 'vendor_unknown'
  | 'sim_port_missing'
  | 'sim_bad_terminator'
  | 'sim_bad_number'
>;

export function scannerMessage(
  code: ScannerMessageCode,
  params: Record<string, string | number> = {},
): string {
  return formatError(code, params);
}

/** Turns what serialport or the OS threw while opening or using a port into a sentence that says what to do. */
export function describePortError(path: string, error: unknown): string {
  const err = error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const text = typeof err?.message === 'string' ? err.message : String(error);
  if (code === 'EACCES' || /permission denied|EACCES/i.test(text)) {
    return scannerMessage('permission_denied', { path });
  }
  if (code === 'EBUSY' || /cannot lock port|resource busy|EBUSY/i.test(text)) {
    // ModemManager probes CDC-ACM devices, which is where most USB scanners in serial mode show up.
    return scannerMessage(/ttyACM|serial\/by-id/.test(path) ? 'port_busy_modem_manager' : 'port_busy', {
      path,
    });
  }
  if (code === 'ENOENT' || /no such file|ENOENT/i.test(text)) {
    return scannerMessage('unplugged', { path });
  }
  return scannerMessage('open_failed', {
    path,
    detail: text.replace(/^Error:?\s*/, '').replace(/[.\s]+$/, ''),
  });
}

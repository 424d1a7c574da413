/**
 * Sentences a person reads about scanner ports. Same shape as the catalogue in core/errors.ts (key -> English
 * sentence with `{name}` placeholders) so they can move into it; kept here because core/ belongs to another change.
 */
export const scannerMessages = {
  permission_denied:
    'Permission denied on {path}: add this user to the dialout group (sudo usermod -aG dialout $USER) and log in again.',
  port_busy: 'Scanner on {path} is busy: close the other program that uses it.',
  port_busy_modem_manager:
    'Scanner on {path} is busy: close the other program that uses it. If no other program is open, ModemManager ' +
    'may be holding it: install resources/udev/99-baglink-scanners.rules, or stop ModemManager ' +
    '(sudo systemctl stop ModemManager).',
  unplugged: 'Scanner on {path} is not connected: plug it in again; the station reconnects by itself.',
  open_failed: 'Scanner on {path} could not be opened ({detail}): check the cable and the port settings.',
  connection_lost:
    'Scanner on {path} stopped answering ({detail}): check the cable; the station reconnects by itself.',
  vendor_not_scanner:
    'Vendor {vendorId} on {path} is not a known scanner: add the path to the scanner list to take it.',
  vendor_unknown: 'The vendor of {path} is not known: add the path to the scanner list to take it.',
  sim_port_missing: 'Say which port to write to: --port /dev/ttyUSB0 (or the pty path of a test).',
  sim_bad_terminator: 'The terminator {terminator} is not known: use cr, lf, crlf, tab or none.',
  sim_bad_number:
    'The value {value} for --{flag} is not a number above 0: give for example --rate 5 or --baud 9600.',
} as const;

export type ScannerMessageCode = keyof typeof scannerMessages;

export function scannerMessage(
  code: ScannerMessageCode,
  params: Record<string, string | number> = {},
): string {
  return scannerMessages[code].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
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

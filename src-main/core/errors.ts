/**
 * The one catalogue of errors a person reads. Each code has an English sentence that says what to do next;
 * `{name}` placeholders are filled from the error's params. The Hindi catalogue follows these keys.
 */
export const errorMessages = {
  // transport and input
  unauthorized: 'The station token is missing or wrong: use the token printed by `baglink serve`.',
  forbidden_origin: 'Requests from this page are not allowed: open the station from its own address.',
  unknown_method: 'There is no method called {method}.',
  invalid_input: 'The request is not valid: {detail}.',
  payload_too_large: 'The request is too large: send at most {limit} bytes.',
  bad_request: 'The request could not be read: send a JSON body.',
  internal: 'Something went wrong inside the station: {detail}. Nothing was changed; try again.',
  // auth
  not_logged_in: 'Log in first.',
  bad_credentials: 'Wrong username or password.',
  bad_badge: 'Wrong badge or PIN.',
  account_locked:
    'This account is locked after too many wrong passwords: try again after {until}, or ask an admin.',
  account_disabled: 'This account is switched off: ask an admin.',
  wrong_area: 'Your account is for dispatch area {userArea}; this station is in area {stationArea}.',
  role_required: 'Only a {role} may do this.',
  session_expired: 'You were logged out after {minutes} minutes without activity: log in again.',
  station_has_users: 'This station already has users: log in as an admin to add more.',
  username_taken: 'The username {username} is already taken.',
  badge_taken: 'That badge is already given to another user.',
  user_not_found: 'There is no user {username}.',
  weak_password: 'The password must be at least {min} characters long.',
  last_admin: 'This is the last active admin: create another admin first.',
  // scans and bags
  invalid_code: 'The code {code} is not a bag code: {detail}.',
  code_too_short: 'The code is too short: a bag code has at least {min} characters.',
  code_too_long: 'The code is too long: a bag code has at most {max} characters.',
  empty_code: 'Nothing was read: scan again.',
  line_too_long: 'The scanner sent a line that is too long to be a bag code: scan again.',
  invalid_utf8:
    'The scanner sent bytes that are not text: check its settings (USB serial, UTF-8) and scan again.',
  control_characters:
    'The scanner sent control characters: check its prefix and suffix settings and scan again.',
  no_active_parent: 'Scan a parent bag first, then its child bags.',
  parent_full: 'Parent {parent} is full ({capacity} bags): scan a new parent bag.',
  linked_elsewhere: 'Child {child} is already in parent {otherParent}: ask a supervisor to move it.',
  parent_on_closed_bill:
    'Parent {parent} is on completed bill {billNo}: ask a supervisor to reopen the bill.',
  other_area: 'Bag {code} belongs to dispatch area {bagArea}, not to this station ({stationArea}).',
  kind_mismatch: 'Bag {code} is a {actual} bag, not a {expected} bag.',
  bag_not_found: 'There is no bag {code}.',
  not_linked: 'Child {child} is not in any parent.',
  nothing_to_undo: 'There is no scan of yours to undo.',
  undo_window_passed:
    'Your last link ({child} into {parent}) is older than {minutes} minutes: ask a supervisor.',
  same_parent: 'Child {child} is already in parent {parent}.',
  scanners_unavailable:
    'Serial scanners are not run by this process: start the station with `baglink serve` or the desktop app.',
  // serial scanners
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
  // bills
  bill_exists: 'Bill number {billNo} is already used.',
  bill_not_found: 'There is no bill {billNo}.',
  bill_not_open: 'Bill {billNo} is completed: reopen it first.',
  bill_not_completed: 'Bill {billNo} is still open.',
  bill_full: 'Bill {billNo} is full ({capacity} parent bags).',
  parent_on_other_bill: 'Parent {parent} is already on bill {billNo}.',
  parent_already_on_bill: 'Parent {parent} is already on bill {billNo}. Nothing changed.',
  invalid_capacity: 'A bill holds 1 to {max} parent bags.',
  parent_not_on_bill: 'Parent {parent} is not on bill {billNo}.',
  parent_empty: 'Parent {parent} has no child bags: fill it before putting it on a bill.',
  invalid_bill_no: 'The bill number {billNo} is not valid: use 1 to 40 letters, digits, - or /.',
  // exports, reports and the audit trail
  invalid_date: 'The date {date} is not valid: write a day as YYYY-MM-DD, for example 2026-01-15.',
  invalid_export_format: 'This export cannot be made as {format}: choose {formats}.',
  // sync with the centre
  not_enrolled:
    'This station has not joined a centre: ask IT for an enrolment line and run "baglink join --enrolment-file FILE".',
  enrolment_invalid:
    'The enrolment could not be read: copy the whole line printed by "baglink central add-station".',
  conflict_not_found: 'There is no open conflict {id}: it may already be resolved.',
  conflict_cannot_move: 'Conflict {id} is not about a child bag in a parent: keep the central state instead.',
  enrolment_insecure:
    "The centre's address has sslmode={sslmode}: the station's secret would cross the network unchecked. Use sslmode=verify-full with the centre's CA, or add --insecure for a test centre on this machine.",
  enrolment_in_argv:
    'Give the enrolment line from a file (--enrolment-file FILE, readable by you only) or from standard input (--enrolment-stdin), never on the command line, where other users of this PC can read it.',
  enrolment_file_open:
    'The enrolment file {path} can be read by other users: make it readable by you only (chmod 600 {path}) and try again.',
  weak_pin: 'The PIN must be at least {min} digits, and digits only.',
  pin_too_short:
    'Your PIN is shorter than {min} digits and no longer opens the station: log in with your username and password, and ask an admin to set a new PIN.',
} as const;

export type ErrorCode = keyof typeof errorMessages;
export type ErrorParams = Record<string, string | number>;

/** A refusal by a rule, thrown inside the core and turned into a Result at the API edge. */
export class StationError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
  ) {
    super(formatError(code, params));
    this.name = 'StationError';
  }
}

export function formatError(code: ErrorCode, params: ErrorParams = {}): string {
  return errorMessages[code].replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

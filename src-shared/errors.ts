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
  unsafe_text:
    'The {field} has a control or invisible character ({char}) at character {position}: type it again without it.',
  // auth
  not_logged_in: 'Log in first.',
  bad_credentials: 'Wrong username or password.',
  bad_badge: 'Wrong badge or PIN.',
  account_locked:
    'This account is locked after too many wrong tries: try again after {until}, or ask an admin.',
  account_disabled: 'This account is switched off: ask an admin.',
  wrong_area: 'Your account is for dispatch area {userArea}; this station is in area {stationArea}.',
  role_required: 'Only a user with the {role} role may do this.',
  session_expired: 'You were logged out after {minutes} minutes without activity: log in again.',
  station_has_users: 'This station already has users: log in as an admin to add more.',
  setup_joined: 'This station has joined a centre: its admins come from the centre; ask IT for an account.',
  username_taken: 'The username {username} is already taken.',
  badge_taken: 'That badge is already given to another user.',
  user_not_found: 'There is no user {username}.',
  weak_password: 'The password must be at least {min} characters long.',
  last_admin: 'This is the last active admin: create another admin first.',
  centre_owned:
    'IT changes this at the centre: a joined station does not change its area or capacity, admin accounts or users of other areas.',
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
  code_not_ascii:
    "The code {code} has the character {char}, which no bag code has (only A-Z, 0-9 and ASCII punctuation): check the scanner's keyboard language and scan again.",
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
  reason_required: 'Say why: a move or a removal needs a reason, kept in the audit trail.',
  scanners_unavailable:
    'Serial scanners are not run by this process: start the station with `baglink serve` or the desktop app.',
  // scale, weights and labels (issue 16)
  badge_not_bag: 'The code {code} is a staff badge, not a bag: nothing was linked.',
  weight_required:
    'Parent {parent} has not been weighed yet: put it on the scale, or choose "weigh later", before starting the next parent.',
  weight_off:
    'Parent {parent} weighs {kg} kg, expected {expectedKg} kg for {childCount} bags: {gap}. A supervisor must check it.',
  weight_not_off: 'Parent {parent} has no weight waiting for a supervisor: nothing to acknowledge.',
  no_weighing: 'No parent is waiting for its weight.',
  hardware_unavailable:
    'The scale and the label printer are not run by this process: start the station with `baglink serve` or the desktop app.',
  scale_not_configured: 'This station has no scale: an admin adds one in Settings.',
  printer_not_configured: 'This station has no label printer: an admin adds one in Settings.',
  port_in_use: 'The port {path} is already used by the {usedBy}: give each device its own port.',
  label_unprintable: 'The label of {parent} cannot be printed: {detail}.',
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
  enrolment_damaged: 'The enrolment file is damaged: run "baglink join" again.',
  enrolment_invalid:
    'The enrolment could not be read: copy the whole line printed by "baglink central add-station".',
  conflict_not_found: 'There is no open conflict {id}: it may already be resolved.',
  conflict_cannot_move: 'Conflict {id} is not about a child bag in a parent: keep the central state instead.',
  // code patterns (station settings)
  pattern_unsupported:
    'The code pattern {pattern} uses {token} at character {position}, which code patterns do not have: write a fixed prefix, classes such as [A-Z0-9] or \\d and counts, for example {example}.',
  pattern_malformed:
    'The code pattern {pattern} cannot be read at character {position}: check its [ ] classes and its counts (at most 100), for example {example}.',
  pattern_not_anchored:
    'The code pattern {pattern} must start with ^ and end with $, since it describes the whole code, for example {example}.',
  pattern_refused:
    'The saved code pattern {pattern} is not a safe code pattern and is not used: an admin must replace it in Settings; until then codes that only it matched are rejected.',
  // files, the database and the disk
  station_missing:
    'There is no station in {dataDir}: check --data-dir (or BAGLINK_DATA_DIR), or set a station up with "baglink migrate".',
  station_empty:
    'The station database {path} is empty or cut short ({bytes} bytes), so it was not opened or replaced: restore a ' +
    'backup ("baglink restore FILE") or recover the station from the centre (README, "Backups and recovery"); if ' +
    'this folder never held a station, delete the file and run "baglink migrate".',
  station_damaged:
    'The station database {path} is damaged ({detail}), so the station will not use it: restore a backup ("baglink ' +
    'restore FILE") or recover the station from the centre (README, "Backups and recovery").',
  disk_full: 'The disk is full: nothing was saved. Free space on the disk that holds {path}, then try again.',
  out_in_data_folder:
    "{path} is inside the station's data folder {dataDir}, where a file can replace the live database: give --out a file in another folder (a backup on another disk).",
  export_target_invalid:
    'Cannot write the export to {path}: it is not an ordinary file (a link, pipe, device or folder). Give --out a new ' +
    'file name or an ordinary file to replace.',
  save_refused: 'Only the station window can save files: export from the station window.',
  save_cancelled: 'Nothing was saved: the save dialog was closed.',
  save_no_place: 'The save dialog gave no usable place: try again.',
  save_not_export: 'Only {formats} exports can be saved: export again from the station.',
  save_bad_name: 'The export has no usable file name: export it again.',
  save_damaged: 'The export is damaged or too large to save: export it again.',
  save_failed: 'The file could not be saved ({detail}): choose another place and try again.',
  export_folder_unwritable:
    'Cannot write the export in the folder {folder} ({detail}): give --out a file in a folder you can write to.',
  // the data folder
  data_dir_unusable:
    'The data folder {path} cannot be used ({reason}): give a folder you may write to with --data-dir or BAGLINK_DATA_DIR.',
  enrolment_insecure:
    "The centre's address has sslmode={sslmode}: the station's secret would cross the network unchecked. Use sslmode=verify-full with the centre's CA, or add --insecure for a test centre on this machine.",
  station_name_taken:
    'There is already a station named {name} at this centre: choose another name (`baglink central status` lists them).',
  enrolment_in_argv:
    'Give the enrolment line from a file (--enrolment-file FILE, readable by you only) or from standard input (--enrolment-stdin), never on the command line, where other users of this PC can read it.',
  enrolment_file_open:
    'The enrolment file {path} can be read by other users: make it readable by you only (chmod 600 {path}) and try again.',
  weak_pin: 'The PIN must be at least {min} digits, and digits only.',
  pin_change_required:
    'Your PIN is shorter than {min} digits: choose a new PIN of at least {min} digits, which opens the station from now on.',
  sync_diverged:
    'This station\'s history differs from the centre\'s (restored from a backup or copied to another PC): sending has stopped and every scan is kept here. If this PC was restored from a backup, IT runs "baglink recover"; if another PC uses this enrolment, IT enrols this one as a new station.',
  sync_claim_address:
    'The centre gave this station the shared station login, but does not let it in where the station\'s old login connected ({address}): IT runs "baglink central migrate --station-url URL" with the address stations use (PgBouncer). The station asks again at its next sync; every scan is kept here.',
  sync_fenced:
    'Another copy of this station was recovered at the centre, so this copy may no longer send or receive. If this PC is a second PC, IT enrols it as a new station ("baglink central add-station", then "baglink join"); if it is this station reinstalled, IT runs "baglink recover" on it.',
  conflict_not_applied:
    "The centre's state for conflict {id} is not applied here yet: sync first, then keep the central state.",
  station_running: 'A station is running on {dataDir} (process {pid}): stop it first, then restore.',
  backup_invalid: 'The file {file} is not a BagLink station backup: {detail}.',
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
  return fillSentence(errorMessages[code], params);
}

/** Fills a sentence's {name} placeholders; a value not given stays as {name}. */
export function fillSentence(template: string, values: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? `{${key}}`));
}

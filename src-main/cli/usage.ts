import { billFormats, reportFormats } from '../../src-shared/export-formats.ts';
import { roles } from '../../src-shared/roles.ts';

const roleChoice = roles.join('|');

const itUsage = [
  `baglink central set-user --url URL --username U --role ${roleChoice} --areas A[,B] [--password-stdin [--with-pin]] [--display-name N] [--badge CODE] [--deactivate|--activate]`,
  'baglink central set-station --url URL --station ID [--area A] [--capacity N] [--name N]',
  'baglink central rotate-secret --url URL --station ID',
  'baglink central revoke-station --url URL --station ID',
  'baglink central refusals --url URL [--limit N] [--json]',
  'baglink central status --url URL [--json]',
  'baglink central repair-login --url URL',
  'baglink central watchdog --url URL [--max-seconds 75] [--every 5] [--once]',
  'baglink central pgbouncer-config --url URL [--listen-port 6432] [--server-socket-dir DIR] [--server-port 5432] [--pool 19] [--tls-cert F --tls-key F] [--config-dir /etc/pgbouncer] [--out-dir DIR]',
];

/** Lines of one usage text, aligned under the first one's "baglink". */
const lines = (...usages: string[]) => usages.join('\n       ');

/**
 * Every command's usage and what it is for, in help order: `baglink help`, `baglink CMD --help` and each
 * command's own usage errors read them here, so a usage is written once. The commands load only when run.
 */
export const commandHelp = {
  migrate: { does: 'create or upgrade the station database', usage: 'baglink migrate [--data-dir DIR]' },
  user: {
    does: 'add a user (the first one must be an admin)',
    usage: `baglink user add --username U --role ${roleChoice} --password-stdin [--name "Full Name"] [--area A] [--badge CODE]`,
  },
  serve: {
    does: 'run the station on http://127.0.0.1:PORT',
    usage:
      'baglink serve [--port 7420] [--token-file FILE | BAGLINK_TOKEN=T] [--scanner PATH ...] [--only-configured] [--data-dir DIR]',
  },
  status: { does: 'station identity, operator, outbox', usage: 'baglink status [--json] [--data-dir DIR]' },
  lookup: {
    does: 'a bag with its parent or children, bill and scans',
    usage: 'baglink lookup CODE [--json] [--data-dir DIR]',
  },
  'seed-demo': {
    does: 'fill a station with realistic demo data',
    usage: 'baglink seed-demo --bags N [--scans N] [--days D] [--data-dir DIR]',
  },
  bench: {
    does: 'measure scan (also with a scale and a printer attached), lookup and dashboard, or the centre (JSON)',
    usage:
      'baglink bench [--bags 2000000] [--scans 5000000] [--samples 3000] [--out FILE] | baglink bench --central private|URL [--stations 200] [--scans 1000] [--batch 500] [--catch-up 100000] [--bootstrap-bags 2000000] [--rounds 3] [--steady-seconds 60] [--steady-interval-ms 5000] [--steady-scans 3] [--direct 1] [--tls 1]',
  },
  export: {
    does: 'a bill or the end-of-day summary as a file',
    usage: lines(
      `baglink export bill BILL_NO --format ${billFormats.join('|')} [--out FILE]`,
      `baglink export eod [--date YYYY-MM-DD] --format ${reportFormats.join('|')} [--out FILE]`,
    ),
  },
  central: {
    does: 'the central PostgreSQL: schema, stations, users (IT)',
    usage: lines(
      'baglink central migrate --url URL [--station-url URL [--ca FILE] [--insecure]]',
      'baglink central add-station --url URL --name N --area A [--station-url URL] [--ca FILE] [--insecure] [--json]',
      ...itUsage,
    ),
  },
  join: {
    does: 'join this station to its centre',
    usage:
      'baglink join --enrolment-file FILE | --enrolment-stdin [--insecure] [--load] [--data-dir DIR] | baglink join --secret-stdin (after "central rotate-secret")',
  },
  sync: {
    does: 'push the outbox and pull the centre once',
    usage: 'baglink sync --once [--json] [--data-dir DIR]',
  },
  backup: {
    does: 'a consistent copy of the station database (owner-only)',
    usage: 'baglink backup --out FILE [--data-dir DIR]',
  },
  restore: {
    does: 'put a backup back (station stopped); it recovers at its next sync',
    usage: 'baglink restore FILE [--data-dir DIR]',
  },
  recover: {
    does: "recover a station whose history differs from the centre's",
    usage: 'baglink recover [--json] [--data-dir DIR]',
  },
  scanners: {
    does: 'the serial ports found, and why a port is not taken',
    usage: 'baglink scanners [--scanner PATH ...] [--json] [--data-dir DIR]',
  },
  'scan-sim': {
    does: 'play a serial scanner on a port (codes from args or stdin)',
    usage: 'baglink scan-sim --port PATH [--terminator cr|lf|crlf|tab|none] [--rate N] [--baud N] [CODE ...]',
  },
  'scale-sim': {
    does: 'play a platform scale on a port (MT-SICS, Toledo continuous or ASCII lines)',
    usage:
      'baglink scale-sim --port PATH --protocol sics|continuous|ascii --kg 29.4 [--unstable-ms N] [--overload] [--unit kg|lb|g] [--baud N] [--checksum]',
  },
} satisfies Record<string, { does: string; usage: string }>;

export type CommandName = keyof typeof commandHelp;

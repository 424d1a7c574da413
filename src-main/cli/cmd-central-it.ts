/** IT's everyday commands at the centre: users and admins, station settings, secrets, refusals, status. */
import { chmodSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MIN_PASSWORD_LENGTH, MIN_PIN_LENGTH, hashSecret } from '../auth/passwords.ts';
import {
  listRefusals,
  revokeStation,
  rotateSecret,
  setStation,
  setUser,
  type CentralUser,
} from '../central/it-admin.ts';
import { withAdmin } from '../central/enrol.ts';
import { pgbouncerConfig, type PgBouncerOptions } from '../central/pgbouncer-config.ts';
import { repairPooledLogin, type PooledLoginHealth } from '../central/pooled-login.ts';
import { centralStatus } from '../central/status.ts';
import { StationError } from '../../src-shared/errors.ts';
import { roles } from '../../src-shared/roles.ts';
import { runWatchdog, watchdogOptions } from './cmd-central-watchdog.ts';
import type { CommandContext } from './command.ts';
import { readAll, UsageError } from './io.ts';

export const itOptions = {
  username: { type: 'string' },
  role: { type: 'string' },
  areas: { type: 'string' },
  'display-name': { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'with-pin': { type: 'boolean' },
  badge: { type: 'string' },
  deactivate: { type: 'boolean' },
  activate: { type: 'boolean' },
  station: { type: 'string' },
  capacity: { type: 'string' },
  limit: { type: 'string' },
  'listen-port': { type: 'string' },
  'server-socket-dir': { type: 'string' },
  'server-port': { type: 'string' },
  'config-dir': { type: 'string' },
  'out-dir': { type: 'string' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  pool: { type: 'string' },
  ...watchdogOptions,
} as const;

const str = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function stationOf(values: CommandContext['values']): string {
  const id = str(values.station);
  if (!id) throw new UsageError('Give the station with --station ID ("baglink central status" lists them).');
  return id;
}

/** Password (first line) and, with --with-pin, the PIN (second line), from standard input only. */
async function secretsFromStdin(c: CommandContext): Promise<{ passwordHash?: string; pinHash?: string }> {
  if (!c.values['password-stdin']) return {};
  const [password = '', pin] = (await readAll(c.io.stdin)).split(/\r?\n/);
  if (password.length < MIN_PASSWORD_LENGTH)
    throw new StationError('weak_password', { min: MIN_PASSWORD_LENGTH });
  const out: { passwordHash?: string; pinHash?: string } = { passwordHash: await hashSecret(password) };
  if (c.values['with-pin']) {
    if (!pin || pin.length < MIN_PIN_LENGTH || !/^\d+$/.test(pin))
      throw new StationError('weak_pin', { min: MIN_PIN_LENGTH });
    out.pinHash = await hashSecret(pin);
  }
  return out;
}

async function runSetUser(url: string, c: CommandContext): Promise<number> {
  const username = str(c.values.username)?.toLowerCase();
  const role = str(c.values.role) as CentralUser['role'] | undefined;
  if (!username || !role || !(roles as readonly string[]).includes(role))
    throw new UsageError(`set-user needs --username and --role ${roles.join('|')}.`);
  const areas = (str(c.values.areas) ?? '').split(',').filter((a) => a.trim());
  if (role !== 'admin' && areas.length === 0)
    throw new UsageError(
      'A dock worker or supervisor needs --areas (one or more dispatch areas, comma-separated).',
    );
  const displayName = str(c.values['display-name']);
  const badge = str(c.values.badge);
  const active = c.values.deactivate ? false : c.values.activate ? true : undefined;
  const { created } = await setUser(url, {
    username,
    role,
    areas,
    ...(await secretsFromStdin(c)),
    ...(displayName ? { displayName } : {}),
    ...(badge ? { badgeCode: badge.toUpperCase() } : {}),
    ...(active !== undefined ? { active } : {}),
  });
  c.io.out(
    `${created ? 'Created' : 'Changed'} ${role} ${username} (${areas.length ? `areas ${areas.join(', ').toUpperCase()}` : 'all areas'}): the stations of those areas get it at their next sync.`,
  );
  return 0;
}

async function runSetStation(url: string, c: CommandContext): Promise<number> {
  const id = stationOf(c.values);
  const capacity = str(c.values.capacity);
  if (capacity !== undefined && !/^\d+$/.test(capacity))
    throw new UsageError('--capacity is the number of children a parent bag holds, for example 30.');
  const area = str(c.values.area);
  const name = str(c.values.name);
  await setStation(url, id, {
    ...(area ? { dispatchArea: area } : {}),
    ...(capacity ? { parentCapacity: Number(capacity) } : {}),
    ...(name ? { name } : {}),
  });
  c.io.out(`Station ${id} changed: it takes the new settings at its next sync.`);
  return 0;
}

/** What differs on the pooled login from what `central migrate` set, one phrase each. */
function loginProblems(login: PooledLoginHealth): string[] {
  return [
    ...login.unexpectedDefaults,
    ...login.missingDefaults.map((d) => `${d} missing`),
    ...(login.passwordMatches === false ? ['password changed (PgBouncer cannot log in again with it)'] : []),
  ];
}

/** The outbox as the station last reported it (its hello at the start of each sync). */
function outboxLine(o: Awaited<ReturnType<typeof centralStatus>>['stations'][number]['outbox']): string {
  if (!o) return 'not reported (the station has not synced since the centre was upgraded)';
  const waiting =
    o.depth === 0 ? 'empty' : `${o.depth} waiting, oldest made ${o.oldestUnsentAt ?? 'unknown'}`;
  return `${waiting} (reported ${o.reportedAt})`;
}

function printStatus(c: CommandContext, s: Awaited<ReturnType<typeof centralStatus>>): void {
  const o = s.horizon.oldest;
  c.io.out(
    `Pull horizon: ${s.horizon.lagXids} transaction(s) behind` +
      (o
        ? `; oldest open transaction: pid ${o.pid}, ${o.ageSeconds} s, "${o.applicationName}" (${o.user}, ${o.state})`
        : ''),
  );
  for (const st of s.stations) {
    const flags = [st.revoked ? 'REVOKED' : '', st.oldRole ? 'old login, not yet upgraded' : '']
      .filter(Boolean)
      .join(', ');
    c.io.out(
      `${st.name} [${st.id}] area ${st.dispatchArea}, capacity ${st.parentCapacity}: seq ${st.lastAppliedSeq}, ` +
        `last push ${st.lastPushAt ?? 'never'}, last pull ${st.lastPullAt ?? 'never'}, refusals ${st.refusals}` +
        (flags ? ` (${flags})` : ''),
    );
    c.io.out(`  outbox: ${outboxLine(st.outbox)}`);
    if (st.diverged) {
      c.io.out(
        `  history differs from the centre's at seq ${st.diverged.seq} (${st.diverged.reason}, ${st.diverged.at}): ` +
          'restored from a backup, run "baglink recover" on that PC; a second PC with this enrolment: enrol it as a new station',
      );
    }
    if (st.recoveredAt) c.io.out(`  recovered ${st.recoveredAt}, now incarnation ${st.incarnation}`);
  }
  c.io.out(`Refusals in all: ${s.refusals} ("baglink central refusals" lists them).`);
  const login = s.pooledLogin;
  const wrong = loginProblems(login);
  if (wrong.length > 0)
    c.io.out(
      `WARNING: the pooled login ${login.role} is not as "central migrate" left it: ${wrong.join('; ')}. ` +
        'A station holding the shared login can change its own defaults and password; ' +
        'run "baglink central repair-login" (as a superuser) to put them back.',
    );
  else if (login.passwordMatches === null)
    c.io.out(`The pooled login's password could not be checked: run status as a superuser to check it.`);
}

async function runPgBouncerConfig(url: string, c: CommandContext): Promise<number> {
  const num = (k: string) => (str(c.values[k]) ? Number(str(c.values[k])) : undefined);
  const outDir = str(c.values['out-dir']);
  const configDir = str(c.values['config-dir']) ?? (outDir ? resolve(outDir) : undefined);
  const options: PgBouncerOptions = { adminUrl: url };
  const set = <K extends keyof PgBouncerOptions>(k: K, v: PgBouncerOptions[K] | undefined) => {
    if (v !== undefined) options[k] = v;
  };
  set('listenPort', num('listen-port'));
  set('serverSocketDir', str(c.values['server-socket-dir']));
  set('serverPort', num('server-port'));
  set('serverConnections', num('pool'));
  set('configDir', configDir);
  set('tlsCertFile', str(c.values['tls-cert']));
  set('tlsKeyFile', str(c.values['tls-key']));
  const config = await pgbouncerConfig(options);
  if (!outDir) {
    c.io.out(config.ini);
    c.io.out(`; ${options.configDir ?? '/etc/pgbouncer'}/userlist.txt (readable by PgBouncer's user only):`);
    c.io.out(config.userlist.trimEnd());
    return 0;
  }
  for (const [file, text] of [
    ['pgbouncer.ini', config.ini],
    ['userlist.txt', config.userlist],
  ] as const) {
    writeFileSync(join(outDir, file), text, { mode: 0o600 });
    chmodSync(join(outDir, file), 0o600);
  }
  c.io.out(
    `Wrote pgbouncer.ini and userlist.txt (owner-only) in ${outDir} for the pooled login ${config.login}.`,
  );
  return 0;
}

/** Returns null when sub is not one of IT's commands here. */
export async function runItCommand(
  sub: string,
  url: () => string,
  c: CommandContext,
): Promise<number | null> {
  switch (sub) {
    case 'set-user':
      return runSetUser(url(), c);
    case 'set-station':
      return runSetStation(url(), c);
    case 'rotate-secret': {
      const id = stationOf(c.values);
      const secret = await rotateSecret(url(), id);
      c.io.out(
        `Station ${id} has a new secret; the old one is refused from now on. Hand this over privately, once:`,
      );
      c.io.out(`  ${secret}`);
      c.io.out(
        'On the station: baglink join --secret-stdin (paste the secret; unsent scans stay and go out then).',
      );
      return 0;
    }
    case 'revoke-station': {
      const id = stationOf(c.values);
      await revokeStation(url(), id);
      c.io.out(`Station ${id} is revoked: every call it makes is refused. "rotate-secret" lets it back in.`);
      return 0;
    }
    case 'refusals': {
      const rows = await listRefusals(url(), Number(str(c.values.limit) ?? 100));
      if (c.values.json) c.io.out(JSON.stringify(rows));
      else
        for (const r of rows)
          c.io.out(
            `${r.at} ${r.station} seq ${r.seq ?? '-'} ${r.op}: ${r.flaggedOnly ? 'flagged' : 'refused'} ${r.kind}` +
              `${r.actor ? ` (actor ${r.actor})` : ''}${r.subject ? ` on ${r.subject}` : ''}`,
          );
      return 0;
    }
    case 'status': {
      const s = await centralStatus(url());
      if (c.values.json) c.io.out(JSON.stringify(s));
      else printStatus(c, s);
      return 0;
    }
    case 'pgbouncer-config':
      return runPgBouncerConfig(url(), c);
    case 'watchdog':
      return runWatchdog(url(), c);
    case 'repair-login': {
      const found = await withAdmin(url(), (client) => repairPooledLogin(client));
      const wrong = loginProblems(found);
      c.io.out(
        wrong.length === 0
          ? `The pooled login ${found.role} was as "central migrate" left it; nothing changed.`
          : `The pooled login ${found.role} is as "central migrate" left it again. Undone: ${wrong.join('; ')}.`,
      );
      return 0;
    }
    default:
      return null;
  }
}

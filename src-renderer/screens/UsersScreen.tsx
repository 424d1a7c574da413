import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../src-shared/users.ts';
import type { Role } from '../../src-shared/domain.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { Barcode } from '../print/Barcode.tsx';
import { ErrorLine, Field, formatDateTime, formatTime, Section } from '../ui/ui.tsx';
import { centreOwns, isLocked, UserEdit, type Station } from './UserEdit.tsx';

/** A new badge code: random, upper case, never mistaken for a bag or a command. */
function newBadgeCode(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `BADGE${Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('')}`;
}

/** Admin: the station's users, adding one, and issuing a printable login badge (a new badge replaces the old). */
export function UsersScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [users, setUsers] = useState<UserView[]>([]);
  const [badge, setBadge] = useState<{ user: UserView; code: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [station, setStation] = useState<Station>({ joined: false, dispatchArea: '' });

  const load = useCallback(async () => {
    const [answer, settings] = await Promise.all([
      client.call('users.list', {}),
      client.call('settings.get', {}),
    ]);
    if (answer.ok) setUsers(answer.value);
    if (settings.ok) setStation({ joined: settings.value.joined, dispatchArea: settings.value.dispatchArea });
  }, [client]);
  useEffect(() => {
    void load();
  }, [load]);

  const issueBadge = async (user: UserView) => {
    const code = newBadgeCode();
    const answer = await client.call('users.update', { username: user.username, badge: code });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) setBadge({ user, code });
    await load();
  };

  if (badge)
    return (
      <main className="screen">
        <div className="no-print actions">
          <button type="button" className="button" onClick={() => setBadge(null)}>
            {t('common.back')}
          </button>
          <button type="button" className="button button-primary" onClick={() => window.print()}>
            {t('users.printBadge')}
          </button>
        </div>
        <figure className="badge-card" data-testid="badge-card">
          <div className="badge-name">{badge.user.displayName || badge.user.username}</div>
          <div className="badge-role">{t(`roles.${badge.user.role}`)}</div>
          <Barcode text={badge.code} label={t('users.badgeOf', { name: badge.user.username })} />
          <figcaption>{t('users.badgeNote')}</figcaption>
        </figure>
      </main>
    );
  const edited = users.find((u) => u.id === editing);
  return (
    <main className="screen two-col list-layout">
      <AddUser onAdded={() => void load()} joined={station.joined} />
      <Section title={t('users.title')}>
        <ErrorLine text={error && errorText(error)} />
        {done && (
          <p className="notice" role="status" data-testid="users-done">
            {done}
          </p>
        )}
        {station.joined && <p className="hint">{t('userEdit.joinedHint')}</p>}
        {edited && (
          <UserEdit
            key={edited.id}
            user={edited}
            station={station}
            onClose={() => setEditing(null)}
            onChanged={(sentence) => {
              setDone(sentence);
              void load();
            }}
          />
        )}
        <div className="table-wrap">
          <table className="table" data-testid="users">
            <thead>
              <tr>
                <th>{t('users.username')}</th>
                <th>{t('users.role')}</th>
                <th>{t('users.area')}</th>
                <th>{t('users.lastLogin')}</th>
                <th>{t('userEdit.status')}</th>
                <th>{t('userEdit.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {users.map((u) => (
                <tr key={u.id}>
                  <td>{u.displayName || u.username}</td>
                  <td>{t(`roles.${u.role}`)}</td>
                  <td>{u.dispatchArea ?? '–'}</td>
                  <td className="nowrap">{formatDateTime(u.lastLoginAt)}</td>
                  <td data-testid="user-status">
                    {!u.active
                      ? t('userEdit.off')
                      : isLocked(u)
                        ? t('userEdit.lockedUntil', { at: formatTime(u.lockedUntil) })
                        : t('userEdit.on')}
                  </td>
                  <td>
                    <div className="row-actions">
                      <button
                        type="button"
                        className="button"
                        aria-label={t('userEdit.manageWho', { name: u.displayName || u.username })}
                        onClick={() => {
                          setDone(null);
                          setEditing(u.id);
                        }}
                      >
                        {t('userEdit.manage')}
                      </button>
                      {centreOwns(u, station) ? (
                        <span>{t('userEdit.atCentre')}</span>
                      ) : (
                        <button type="button" className="button" onClick={() => void issueBadge(u)}>
                          {u.hasBadge ? t('users.newBadge') : t('users.issueBadge')}
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>
    </main>
  );
}

function AddUser({ onAdded, joined }: { onAdded: () => void; joined: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('dock');
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await client.call('users.create', {
      username,
      displayName,
      role,
      password,
      ...(pin && { pin }),
    });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) {
      setUsername('');
      setDisplayName('');
      setPassword('');
      setPin('');
      onAdded();
    }
  };

  return (
    <Section title={t('users.add')}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <Field
          label={t('users.username')}
          required
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <Field
          label={t('users.displayName')}
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <div className="field">
          <label htmlFor="new-user-role">{t('users.role')}</label>
          <select id="new-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="dock">{t('roles.dock')}</option>
            <option value="supervisor">{t('roles.supervisor')}</option>
            <option value="admin" disabled={joined}>
              {t('roles.admin')}
            </option>
          </select>
        </div>
        <Field
          label={t('users.password')}
          type="password"
          autoComplete="new-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Field
          label={t('users.pin')}
          type="password"
          autoComplete="off"
          inputMode="numeric"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <ErrorLine text={error && errorText(error)} />
        <button type="submit" className="button button-primary">
          {t('users.addSubmit')}
        </button>
      </form>
    </Section>
  );
}

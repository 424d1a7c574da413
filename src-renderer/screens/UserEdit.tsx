import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { UserView } from '../../src-shared/users.ts';
import type { Role } from '../../src-shared/domain.ts';
import type { Answer, ApiError } from '../../src-shared/api.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, formatTime } from '../ui/ui.tsx';

export interface Station {
  joined: boolean;
  dispatchArea: string;
}

/** On a joined station the centre owns admin accounts and users of other areas (the core refuses them too). */
export function centreOwns(user: UserView, station: Station): boolean {
  if (!station.joined) return false;
  return user.role === 'admin' || (user.dispatchArea !== null && user.dispatchArea !== station.dispatchArea);
}

export function isLocked(user: UserView, now = Date.now()): boolean {
  return user.lockedUntil !== null && user.lockedUntil > now;
}

/**
 * An admin's actions on one user: change the role, switch the account off or on, unlock it, set a new password
 * or PIN. Each button names what it does to whom; each change is audited by the station.
 */
export function UserEdit({
  user,
  station,
  onChanged,
  onClose,
}: {
  user: UserView;
  station: Station;
  onChanged: (sentence: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [role, setRole] = useState<Role>(user.role);
  const [password, setPassword] = useState('');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const name = user.displayName || user.username;

  const change = async (fields: Record<string, unknown>, sentence: string) => {
    const answer: Answer<unknown> = await client.call('users.update', { username: user.username, ...fields });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onChanged(sentence);
  };
  const submit = (run: () => Promise<void>) => (event: FormEvent) => {
    event.preventDefault();
    void run();
  };

  if (centreOwns(user, station))
    return (
      <section className="user-edit" data-testid="user-edit" aria-label={name}>
        <h3>{name}</h3>
        <p className="notice" data-testid="centre-owned">
          {t('userEdit.centreOwned')}
        </p>
        <button type="button" className="button" onClick={onClose}>
          {t('common.back')}
        </button>
      </section>
    );
  return (
    <section className="user-edit" data-testid="user-edit" aria-label={name}>
      <h3>{t('userEdit.title', { name })}</h3>
      <form
        className="row-form"
        onSubmit={submit(() => change({ role }, t('userEdit.roleChanged', { name })))}
      >
        <div className="field">
          <label htmlFor="edit-user-role">{t('users.role')}</label>
          <select id="edit-user-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            <option value="dock">{t('roles.dock')}</option>
            <option value="supervisor">{t('roles.supervisor')}</option>
            <option value="admin">{t('roles.admin')}</option>
          </select>
        </div>
        <button type="submit" className="button" disabled={role === user.role} data-testid="change-role">
          {t('userEdit.changeRole', { name, role: t(`roles.${role}`) })}
        </button>
      </form>
      <form
        className="row-form"
        onSubmit={submit(async () => {
          await change({ password }, t('userEdit.passwordSet', { name }));
          setPassword('');
        })}
      >
        <Field
          label={t('userEdit.newPassword')}
          name="newPassword"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button type="submit" className="button" disabled={!password} data-testid="set-password">
          {t('userEdit.setPassword', { name })}
        </button>
      </form>
      <form
        className="row-form"
        onSubmit={submit(async () => {
          await change({ pin }, t('userEdit.pinSet', { name }));
          setPin('');
        })}
      >
        <Field
          label={t('userEdit.newPin')}
          name="newPin"
          type="password"
          inputMode="numeric"
          autoComplete="off"
          value={pin}
          onChange={(e) => setPin(e.target.value)}
        />
        <button type="submit" className="button" disabled={!pin} data-testid="set-pin">
          {t('userEdit.setPin', { name })}
        </button>
      </form>
      <ErrorLine text={error && errorText(error)} />
      <div className="actions">
        {isLocked(user) && (
          <button
            type="button"
            className="button button-primary"
            data-testid="unlock"
            onClick={() => void change({ unlock: true }, t('userEdit.unlocked', { name }))}
          >
            {t('userEdit.unlock', { name, until: formatTime(user.lockedUntil) })}
          </button>
        )}
        {user.active ? (
          <button
            type="button"
            className="button button-danger"
            data-testid="deactivate"
            onClick={() => void change({ active: false }, t('userEdit.deactivated', { name }))}
          >
            {t('userEdit.deactivate', { name })}
          </button>
        ) : (
          <button
            type="button"
            className="button button-primary"
            data-testid="reactivate"
            onClick={() => void change({ active: true }, t('userEdit.reactivated', { name }))}
          >
            {t('userEdit.reactivate', { name })}
          </button>
        )}
        <button type="button" className="button" onClick={onClose}>
          {t('common.back')}
        </button>
      </div>
    </section>
  );
}

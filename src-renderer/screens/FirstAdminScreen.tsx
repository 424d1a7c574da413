import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field } from '../ui/ui.tsx';

/**
 * A new station with no users (and no centre): the only thing the page offers is creating the first admin, who is
 * then logged in. The station decides in one transaction; a tab that lost the race is sent to the login.
 */
export function FirstAdminScreen({ onTaken }: { onTaken: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [username, setUsername] = useState('admin');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<ApiError | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (password !== again) return setError(t('firstRun.mismatch'));
    setBusy(true);
    const answer = await client.call('setup.firstAdmin', { username, displayName, password });
    setBusy(false);
    if (answer.ok) return;
    if (answer.error.code === 'station_has_users' || answer.error.code === 'setup_joined') onTaken();
    setError(answer.error);
  };

  return (
    <main className="login">
      <form
        className="panel narrow"
        data-testid="first-admin"
        onSubmit={(e) => void submit(e)}
        aria-labelledby="first-admin-title"
      >
        <h1 id="first-admin-title">{t('firstRun.title')}</h1>
        <p className="hint">{t('firstRun.body')}</p>
        <Field
          label={t('login.username')}
          name="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <Field
          label={t('firstRun.displayName')}
          name="displayName"
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
        />
        <Field
          label={t('login.password')}
          name="password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Field
          label={t('firstRun.again')}
          name="again"
          type="password"
          autoComplete="new-password"
          value={again}
          onChange={(e) => setAgain(e.target.value)}
        />
        <ErrorLine text={typeof error === 'string' ? error : error && errorText(error)} />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {t('firstRun.submit')}
        </button>
      </form>
    </main>
  );
}

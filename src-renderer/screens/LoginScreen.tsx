import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { commandOf } from '../../src-shared/commands.ts';
import { ErrorLine, Field } from '../ui/ui.tsx';
import { LoginModeSwitch, type LoginMode } from '../ui/LoginModeSwitch.tsx';

const firstAdminCommand = 'baglink user add --username admin --role admin --password-stdin';

/**
 * Username + password, or badge + PIN. Scanning a badge (keyboard-wedge or serial scanner) fills the badge and
 * moves to the PIN, so a worker with only a scanner and the number pad can log in.
 */
export function LoginScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [mode, setMode] = useState<LoginMode>('badge');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  // A PIN shorter than the rule (set before it) opens the station only together with a new one.
  const [needNewPin, setNeedNewPin] = useState(false);
  const [newPin, setNewPin] = useState('');
  const [newPinAgain, setNewPinAgain] = useState('');
  const [pinsDiffer, setPinsDiffer] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const pinField = useRef<HTMLInputElement>(null);
  // A new station has no one to log in as: say how the first admin is made (status.preLogin needs no login).
  const [noUsers, setNoUsers] = useState(false);
  useEffect(() => {
    void client.call('status.preLogin', {}).then((a) => setNoUsers(a.ok && !a.value.hasUsers));
  }, [client]);

  const takeBadge = (code: string) => {
    setMode('badge');
    setBadge(code);
    setError(null);
    setTimeout(() => pinField.current?.focus(), 0);
  };
  useScanTarget((code) => takeBadge(code));
  // A printed command (ACK, log out ...) read on the serial scanner is not a badge.
  useEvent('onScanResult', (result) => {
    const code = result.code || result.raw;
    if (!commandOf(code)) takeBadge(code);
  });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const changing = mode === 'badge' && needNewPin;
    setPinsDiffer(changing && newPin !== newPinAgain);
    if (changing && newPin !== newPinAgain) return;
    setBusy(true);
    const answer = await client.call(
      'auth.login',
      mode === 'badge' ? { badge, pin, ...(changing ? { newPin } : {}) } : { username, password },
    );
    setBusy(false);
    if (!answer.ok) {
      setError(answer.error);
      if (answer.error.code === 'pin_change_required') setNeedNewPin(true);
    }
  };

  return (
    <main className="login">
      <form className="panel narrow" onSubmit={(e) => void submit(e)} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        {noUsers && (
          <div className="notice" role="status" data-testid="no-users">
            <p>{t('login.noUsers')}</p>
            <code className="first-admin">{firstAdminCommand}</code>
          </div>
        )}
        <LoginModeSwitch mode={mode} onChange={setMode} />
        {mode === 'badge' ? (
          <>
            <p className="hint">{t('login.scanBadge')}</p>
            <Field
              label={t('login.badge')}
              name="badge"
              value={badge}
              onChange={(e) => setBadge(e.target.value)}
            />
            <Field
              ref={pinField}
              label={t('login.pin')}
              name="pin"
              type="password"
              inputMode="numeric"
              autoComplete="off"
              value={pin}
              onChange={(e) => setPin(e.target.value)}
            />
            {needNewPin && (
              <>
                <Field
                  label={t('login.newPin')}
                  name="newPin"
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={newPin}
                  onChange={(e) => setNewPin(e.target.value)}
                />
                <Field
                  label={t('login.newPinAgain')}
                  name="newPinAgain"
                  type="password"
                  inputMode="numeric"
                  autoComplete="off"
                  value={newPinAgain}
                  onChange={(e) => setNewPinAgain(e.target.value)}
                />
              </>
            )}
          </>
        ) : (
          <>
            <Field
              label={t('login.username')}
              name="username"
              autoComplete="username"
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
            <Field
              label={t('login.password')}
              name="password"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </>
        )}
        <ErrorLine text={pinsDiffer ? t('login.pinsDiffer') : error && errorText(error)} />
        <button type="submit" className="button button-primary button-wide" disabled={busy}>
          {t('login.submit')}
        </button>
      </form>
    </main>
  );
}

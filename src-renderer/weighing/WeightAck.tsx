import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import type { Role } from '../../src-shared/domain.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { hasRole, useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field } from '../ui/ui.tsx';
import { useBadgeTaker } from './badge-taker.ts';
import { LoginModeSwitch, type LoginMode } from '../ui/LoginModeSwitch.tsx';

interface Props {
  parent: string;
  role: Role | undefined;
  /** The station recorded the acknowledgement. */
  onDone: () => void;
}

/**
 * On the orange weight flash: a logged-in supervisor acknowledges with one button; anyone else calls a supervisor,
 * who identifies on this screen with a badge (scanned or typed) and PIN, or a username and password, checked by the
 * station with the lockout. The flash goes only when the station has recorded the acknowledgement.
 */
export function WeightAck({ parent, role, onDone }: Props) {
  const supervisor = hasRole(role, 'supervisor');
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  const acknowledge = async (credentials: Record<string, string>) => {
    if (busy) return;
    setBusy(true);
    const answer = await client.call('weights.acknowledge', { parent, ...credentials });
    setBusy(false);
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onDone();
  };

  if (supervisor)
    return (
      <div className="weight-ack" data-testid="weight-ack">
        <button
          type="button"
          className="flash-ack"
          data-testid="weight-ack-self"
          disabled={busy}
          autoFocus
          onClick={() => void acknowledge({})}
        >
          {t('weighAck.self', { parent })}
        </button>
        <ErrorLine text={error && errorText(error)} />
      </div>
    );
  return (
    <div className="weight-ack" data-testid="weight-ack">
      {open ? (
        <SupervisorForm
          busy={busy}
          error={error && errorText(error)}
          onSubmit={(credentials) => void acknowledge(credentials)}
          onCancel={() => {
            setOpen(false);
            setError(null);
          }}
        />
      ) : (
        <>
          <p className="weight-ack-hint">{t('weighAck.callSupervisor')}</p>
          <button
            type="button"
            className="flash-ack"
            data-testid="weight-ack-open"
            autoFocus
            onClick={() => setOpen(true)}
          >
            {t('weighAck.open')}
          </button>
        </>
      )}
    </div>
  );
}

function SupervisorForm({
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  busy: boolean;
  /** Why the station refused (a wrong badge or PIN, a dock worker's badge, a lockout): above the buttons. */
  error: string | null;
  onSubmit: (credentials: Record<string, string>) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [mode, setMode] = useState<LoginMode>('badge');
  const [badge, setBadge] = useState('');
  const [pin, setPin] = useState('');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const pinField = useRef<HTMLInputElement>(null);
  // A read while the form is open is the supervisor's badge: fill it and go to the PIN.
  const takeBadge = (code: string) => {
    setMode('badge');
    setBadge(code);
    setTimeout(() => pinField.current?.focus(), 0);
  };
  useScanTarget(takeBadge);
  useBadgeTaker(takeBadge);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit(mode === 'badge' ? { badge: badge.trim(), pin } : { username: username.trim(), password });
  };
  return (
    <form className="weight-ack-form" data-testid="weight-ack-form" onSubmit={submit}>
      <p className="weight-ack-hint">{t('weighAck.formHint')}</p>
      <LoginModeSwitch mode={mode} onChange={setMode} />
      {mode === 'badge' ? (
        <div className="weight-ack-fields">
          <Field
            label={t('weighAck.badge')}
            name="ackBadge"
            autoComplete="off"
            autoFocus
            value={badge}
            onChange={(e) => setBadge(e.target.value)}
          />
          <Field
            ref={pinField}
            label={t('login.pin')}
            name="ackPin"
            type="password"
            inputMode="numeric"
            autoComplete="off"
            value={pin}
            onChange={(e) => setPin(e.target.value)}
          />
        </div>
      ) : (
        <div className="weight-ack-fields">
          <Field
            label={t('login.username')}
            name="ackUsername"
            autoComplete="off"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
          <Field
            label={t('login.password')}
            name="ackPassword"
            type="password"
            autoComplete="off"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </div>
      )}
      <ErrorLine text={error} />
      <div className="weight-ack-buttons">
        <button type="submit" className="flash-ack" data-testid="weight-ack-submit" disabled={busy}>
          {t('weighAck.submit')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

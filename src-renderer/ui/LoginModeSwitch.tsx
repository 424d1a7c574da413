import { useTranslation } from 'react-i18next';

export type LoginMode = 'badge' | 'password';

/** Badge and PIN, or username and password: the switch the login screen and the supervisor's form share. */
export function LoginModeSwitch({
  mode,
  onChange,
}: {
  mode: LoginMode;
  onChange: (mode: LoginMode) => void;
}) {
  const { t } = useTranslation();
  const option = (value: LoginMode, label: string) => (
    <button
      type="button"
      aria-pressed={mode === value}
      className={mode === value ? 'seg-on' : ''}
      onClick={() => onChange(value)}
    >
      {label}
    </button>
  );
  return (
    <div className="segmented" role="group" aria-label={t('login.how')}>
      {option('badge', t('login.byBadge'))}
      {option('password', t('login.byPassword'))}
    </div>
  );
}

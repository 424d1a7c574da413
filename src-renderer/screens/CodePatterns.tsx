import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../api/types.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Section } from '../ui/ui.tsx';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

function PatternList({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono patterns"
        rows={3}
        spellCheck={false}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

/**
 * Admin: the parent and child code patterns, one a line. The station checks them on save (code-pattern.ts) and
 * says why one is refused; a saved pattern it refused at start is shown here until it is replaced.
 */
export function CodePatterns() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [parents, setParents] = useState('');
  const [children, setChildren] = useState('');
  const [warnings, setWarnings] = useState<ApiError[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const load = () => {
    void client.call('settings.get', {}).then((a) => {
      if (!a.ok) return;
      setParents(a.value.profile.parentPatterns.join('\n'));
      setChildren(a.value.profile.childPatterns.join('\n'));
    });
    void client.call('status.get', {}).then((a) => a.ok && setWarnings(a.value.warnings));
  };
  useEffect(load, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const profile = { parentPatterns: lines(parents), childPatterns: lines(children) };
    const answer = await client.call('settings.update', { profile });
    setError(answer.ok ? null : answer.error);
    setSaved(answer.ok);
    if (answer.ok) load();
  };

  return (
    <Section title={t('settings.patterns')}>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="code-patterns">
        {warnings.map((w) => (
          <div className="warning" key={w.message}>
            <p>{errorText(w)}</p>
          </div>
        ))}
        <p className="hint">
          {t('settings.patternsHelp')} <code>^SB\d{'{5}'}$</code> <code>^[A-Z0-9]{'{4,20}'}$</code>
        </p>
        <PatternList label={t('settings.parentPatterns')} value={parents} onChange={setParents} />
        <PatternList label={t('settings.childPatterns')} value={children} onChange={setChildren} />
        <ErrorLine text={error && errorText(error)} />
        {saved && <p className="notice">{t('settings.saved')}</p>}
        <button type="submit" className="button button-primary">
          {t('common.save')}
        </button>
      </form>
    </Section>
  );
}

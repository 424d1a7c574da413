import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationSettings } from '../../src-shared/settings.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, Section } from '../ui/ui.tsx';

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/** A labelled multi-line field: one code pattern per line. */
function Patterns(props: { id: string; label: string; value: string; onChange: (v: string) => void }) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        name={props.id}
        className="mono patterns"
        rows={3}
        spellCheck={false}
        value={props.value}
        onChange={(e) => props.onChange(e.target.value)}
      />
    </div>
  );
}

/**
 * Admin: the station's name and area, the parent capacity and the code patterns. On a station joined to a centre
 * the area and the capacity are the centre's: shown read-only, saying who changes them.
 */
export function StationSetup({ onLoaded }: { onLoaded?: (settings: StationSettings) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [settings, setSettings] = useState<StationSettings | null>(null);
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const [capacity, setCapacity] = useState('');
  const [parents, setParents] = useState('');
  const [children, setChildren] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [warnings, setWarnings] = useState<ApiError[]>([]);
  const [saved, setSaved] = useState(false);

  const show = (s: StationSettings) => {
    setSettings(s);
    setName(s.name);
    setArea(s.dispatchArea);
    setCapacity(String(s.profile.parentCapacity));
    setParents(s.profile.parentPatterns.join('\n'));
    setChildren(s.profile.childPatterns.join('\n'));
    onLoaded?.(s);
  };
  // A saved pattern the station refused at start (not a safe code pattern) is named here until it is replaced.
  const loadWarnings = () =>
    void client.call('status.get', {}).then((a) => a.ok && setWarnings(a.value.warnings));
  // Read again when the link to the station is new (a reconnect): the form keeps what the admin is typing.
  useEffect(() => {
    void client.call('settings.get', {}).then((a) => {
      if (!a.ok) return;
      if (settings === null) show(a.value);
      else {
        setSettings(a.value);
        onLoaded?.(a.value);
      }
    });
    loadWarnings();
  }, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const joined = settings?.joined ?? false;
    const answer = await client.call('settings.update', {
      name,
      ...(!joined && { dispatchArea: area }),
      profile: {
        ...(!joined && { parentCapacity: Number(capacity) }),
        parentPatterns: lines(parents),
        childPatterns: lines(children),
      },
    });
    setError(answer.ok ? null : answer.error);
    setSaved(answer.ok);
    if (answer.ok) {
      show(answer.value);
      loadWarnings();
    }
  };
  const joined = settings?.joined ?? false;
  return (
    <Section title={t('settings.identity')}>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="station-setup">
        <p>
          <strong>{t('settings.stationIdLabel')}</strong>{' '}
          <span className="mono" data-testid="station-id">
            {settings?.stationId}
          </span>
        </p>
        <Field
          label={t('settings.name')}
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label={t('settings.area')}
          name="area"
          readOnly={joined}
          value={area}
          onChange={(e) => setArea(e.target.value)}
        />
        <Field
          label={t('settings.capacity')}
          name="capacity"
          type="number"
          min={1}
          max={1000}
          readOnly={joined}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
        {joined && (
          <p className="hint" data-testid="centre-owned">
            {t('settings.centreOwned')}
          </p>
        )}
        {warnings.map((w) => (
          <div className="warning" key={w.message}>
            <p>{errorText(w)}</p>
          </div>
        ))}
        <p className="hint">
          {t('settings.patternsHelp')} <code>^SB\d{'{5}'}$</code> <code>^[A-Z0-9]{'{4,20}'}$</code>
        </p>
        <Patterns
          id="parentPatterns"
          label={t('settings.parentPatterns')}
          value={parents}
          onChange={setParents}
        />
        <Patterns
          id="childPatterns"
          label={t('settings.childPatterns')}
          value={children}
          onChange={setChildren}
        />
        <ErrorLine text={error && errorText(error)} />
        {saved && (
          <p className="notice" role="status">
            {t('settings.saved')}
          </p>
        )}
        <button type="submit" className="button button-primary">
          {t('common.save')}
        </button>
      </form>
    </Section>
  );
}

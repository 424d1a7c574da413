import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, ScannerView } from '../api/types.ts';
import type { SyncState } from '../../src-main/sync/state.ts';
import { LanguageSwitch } from '../app/LanguageSwitch.tsx';
import { useClient, useEvent } from '../app/station-context.tsx';
import { getVolume, setVolume, soundPlayer, type Sound } from '../feedback/sounds.ts';
import { codeOf } from '../i18n/error-params.ts';
import { useErrorText, useSyncErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, formatDateTime, formatTime, Section } from '../ui/ui.tsx';

const sounds: Sound[] = ['ok', 'duplicate', 'error', 'parent', 'full', 'billFull'];

/** Admin: scanners with live state and a test read, sync health, station identity, language and sounds. */
export function SettingsScreen() {
  const { t } = useTranslation();
  return (
    <main className="screen two-col">
      <Scanners />
      <Identity />
      <Sync />
      <Section title={t('settings.languageAndSound')}>
        <LanguageSwitch />
        <Sounds />
      </Section>
    </main>
  );
}

function Scanners() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [scanners, setScanners] = useState<ScannerView[] | null>(null);
  const [test, setTest] = useState<{ id: string; text: string } | null>(null);
  useEffect(() => {
    void client.call('scanners.list', {}).then((a) => a.ok && setScanners(a.value as ScannerView[]));
  }, [client]);
  useEvent('onScannerState', (list) => setScanners(list));

  const testRead = async (scanner: ScannerView) => {
    setTest({ id: scanner.id, text: t('settings.testWaiting') });
    const answer = await client.call('scanners.testRead', { scannerId: scanner.id, timeoutMs: 15_000 });
    const read = answer.ok ? (answer.value as { code?: string; raw?: string } | null) : null;
    setTest({
      id: scanner.id,
      text: read ? t('settings.testGot', { code: read.code || read.raw }) : t('settings.testNone'),
    });
  };

  return (
    <Section title={t('settings.scanners')}>
      <ul className="scanner-list" data-testid="scanners">
        {(scanners ?? []).map((s) => (
          <li key={s.id} className="scanner-row">
            <span className={`pill ${s.state === 'ready' ? 'pill-good' : 'pill-bad'}`}>
              {t(`scannerState.${s.state}`)}
            </span>
            <span className="scanner-name">{s.name}</span>
            <span className="mono">{s.path}</span>
            <span>{t('settings.reads', { count: s.reads, at: formatTime(s.lastReadAt) })}</span>
            {s.lastError && (
              <span className="error-line">
                {errorText({ code: codeOf(s.lastError) ?? 'internal', message: s.lastError })}
              </span>
            )}
            <button type="button" className="button" onClick={() => void testRead(s)}>
              {t('settings.testRead')}
            </button>
            {test?.id === s.id && <span className="big">{test.text}</span>}
          </li>
        ))}
        {scanners?.length === 0 && <li>{t('live.noScanner')}</li>}
      </ul>
    </Section>
  );
}

function Identity() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [area, setArea] = useState('');
  const [stationId, setStationId] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void client.call('settings.get', {}).then((a) => {
      if (!a.ok) return;
      setName(a.value.name);
      setArea(a.value.dispatchArea);
      setStationId(a.value.stationId);
    });
  }, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await client.call('settings.update', { name, dispatchArea: area });
    setError(answer.ok ? null : answer.error);
    setSaved(answer.ok);
  };
  return (
    <Section title={t('settings.identity')}>
      <form className="form" onSubmit={(e) => void submit(e)}>
        <p className="mono">{t('settings.stationId', { id: stationId })}</p>
        <Field label={t('settings.name')} value={name} onChange={(e) => setName(e.target.value)} />
        <Field label={t('settings.area')} value={area} onChange={(e) => setArea(e.target.value)} />
        <ErrorLine text={error && errorText(error)} />
        {saved && <p className="notice">{t('settings.saved')}</p>}
        <button type="submit" className="button button-primary">
          {t('common.save')}
        </button>
      </form>
    </Section>
  );
}

function Sync() {
  const { t } = useTranslation();
  const client = useClient();
  const syncErrorText = useSyncErrorText();
  const [sync, setSync] = useState<SyncState | null>(null);
  useEffect(() => {
    void client.call('status.get', {}).then((a) => a.ok && setSync(a.value.sync));
  }, [client]);
  useEvent('onSyncState', (state) => setSync(state));
  return (
    <Section title={t('settings.sync')}>
      <dl className="facts">
        <dt>{t('settings.syncState')}</dt>
        <dd>{t(`sync.${sync?.state ?? 'unknown'}`)}</dd>
        <dt>{t('settings.central')}</dt>
        <dd>{sync?.central ?? '–'}</dd>
        <dt>{t('dash.outbox')}</dt>
        <dd>{sync?.outbox.depth ?? '–'}</dd>
        <dt>{t('settings.lastSuccess')}</dt>
        <dd>{formatDateTime(sync?.lastSuccessAt)}</dd>
        <dt>{t('settings.lastError')}</dt>
        <dd data-testid="sync-last-error">{sync?.lastError ? syncErrorText(sync.lastError) : '–'}</dd>
      </dl>
    </Section>
  );
}

function Sounds() {
  const { t } = useTranslation();
  const [volume, setLevel] = useState(getVolume);
  return (
    <div className="form">
      <div className="field">
        <label htmlFor="volume">{t('settings.volume', { percent: Math.round(volume * 100) })}</label>
        <input
          id="volume"
          type="range"
          min={0}
          max={1}
          step={0.1}
          value={volume}
          onChange={(e) => {
            setLevel(Number(e.target.value));
            setVolume(Number(e.target.value));
          }}
        />
      </div>
      <div className="chips">
        {sounds.map((sound) => (
          <button key={sound} type="button" className="button" onClick={() => soundPlayer().play(sound)}>
            {t(`sounds.${sound}`)}
          </button>
        ))}
      </div>
    </div>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { StationSettings } from '../../src-shared/settings.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field } from '../ui/ui.tsx';

type Port = StationSettings['scannerPorts'][number];

/**
 * Admin: the serial ports the station listens on besides the scanners it finds by itself: add one (path, name,
 * baud rate) or stop using one. Saved in the station and applied at once (scanners.configure).
 */
export function ScannerPorts({ ports, onChanged }: { ports: Port[]; onChanged: (ports: Port[]) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [baud, setBaud] = useState('');
  const [error, setError] = useState<ApiError | null>(null);

  const configure = async (next: Port[]) => {
    const answer = await client.call('scanners.configure', { scanners: next });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onChanged(next);
    return answer.ok;
  };
  const add = async (event: FormEvent) => {
    event.preventDefault();
    const port: Port = {
      path: path.trim(),
      ...(name.trim() && { name: name.trim() }),
      ...(baud && { baudRate: Number(baud) }),
    };
    if (await configure([...ports.filter((p) => p.path !== port.path), port])) {
      setPath('');
      setName('');
      setBaud('');
    }
  };

  return (
    <div data-testid="scanner-ports">
      <h3>{t('ports.title')}</h3>
      <ul className="scanner-list">
        {ports.map((p) => (
          <li key={p.path} className="scanner-row">
            <span className="mono">{p.path}</span>
            <span>{p.name ?? '–'}</span>
            <span>{p.baudRate ? t('ports.baudValue', { baud: p.baudRate }) : t('ports.baudAuto')}</span>
            <button
              type="button"
              className="button button-danger"
              onClick={() => void configure(ports.filter((q) => q.path !== p.path))}
            >
              {t('ports.remove', { path: p.path })}
            </button>
          </li>
        ))}
        {ports.length === 0 && <li>{t('ports.none')}</li>}
      </ul>
      <form className="row-form" onSubmit={(e) => void add(e)}>
        <Field
          label={t('ports.path')}
          name="portPath"
          required
          placeholder="/dev/ttyACM0"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <Field
          label={t('ports.name')}
          name="portName"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Field
          label={t('ports.baud')}
          name="portBaud"
          type="number"
          min={300}
          value={baud}
          onChange={(e) => setBaud(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          {t('ports.add')}
        </button>
      </form>
      <ErrorLine text={error && errorText(error)} />
    </div>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/api.ts';
import type { ScaleState } from '../../../src-shared/hardware.ts';
import { useClient } from '../../app/station-context.tsx';
import { useErrorText } from '../../i18n/error-text.ts';
import { ErrorLine, Field, formatTime } from '../../ui/ui.tsx';
import { kgText } from '../../weighing/weight-text.ts';
import { fieldText, numberOrUndefined, SelectField } from './SelectField.tsx';

const protocols = ['sics', 'continuous', 'ascii'] as const;
const framings = ['8N1', '7E1', '7O1', '8E1', '8N2'] as const;
const units = ['kg', 'g', 'lb', 'oz', 't'] as const;
const bauds = ['1200', '2400', '4800', '9600', '19200', '38400'] as const;
type Protocol = (typeof protocols)[number];
type Framing = (typeof framings)[number];
type Unit = (typeof units)[number];
type Baud = (typeof bauds)[number];

const parityOf = { N: 'none', E: 'even', O: 'odd' } as const;

function framingOf(saved: Record<string, unknown>): Framing {
  const parity = saved.parity === 'even' ? 'E' : saved.parity === 'odd' ? 'O' : 'N';
  const text = `${fieldText(saved.dataBits) || '8'}${parity}${fieldText(saved.stopBits) || '1'}`;
  return (framings as readonly string[]).includes(text) ? (text as Framing) : '8N1';
}

/**
 * Admin: the platform scale on a serial port (src-main/scale/config.ts checks it in the station): port, protocol,
 * baud rate and framing, the line pattern of an ASCII scale, the unit, the range it accepts and how long it waits
 * for a steady reading. Saved with hardware.configure, applied at once; a refusal is shown as the station's sentence.
 */
export function ScaleSettings({
  saved,
  state,
  onSaved,
}: {
  saved: Record<string, unknown> | null;
  state: ScaleState | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [protocol, setProtocol] = useState<Protocol>('sics');
  const [baud, setBaud] = useState<Baud>('9600');
  const [framing, setFraming] = useState<Framing>('8N1');
  const [pattern, setPattern] = useState('');
  const [unit, setUnit] = useState<Unit>('kg');
  const [minKg, setMinKg] = useState('');
  const [maxKg, setMaxKg] = useState('');
  const [timeoutS, setTimeoutS] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<'saved' | 'removed' | null>(null);

  useEffect(() => {
    if (!saved) return;
    setPath(typeof saved.path === 'string' ? saved.path : '');
    setName(typeof saved.name === 'string' ? saved.name : '');
    setProtocol(
      (protocols as readonly unknown[]).includes(saved.protocol) ? (saved.protocol as Protocol) : 'sics',
    );
    setBaud(
      (bauds as readonly string[]).includes(fieldText(saved.baudRate))
        ? (fieldText(saved.baudRate) as Baud)
        : '9600',
    );
    setFraming(framingOf(saved));
    setPattern(typeof saved.pattern === 'string' ? saved.pattern : '');
    setUnit((units as readonly unknown[]).includes(saved.unit) ? (saved.unit as Unit) : 'kg');
    setMinKg(fieldText(saved.minKg));
    setMaxKg(fieldText(saved.maxKg));
    setTimeoutS(typeof saved.stableTimeoutMs === 'number' ? String(saved.stableTimeoutMs / 1000) : '');
  }, [saved]);

  const configure = async (scale: Record<string, unknown> | null, outcome: 'saved' | 'removed') => {
    const answer = await client.call('hardware.configure', { scale });
    setError(answer.ok ? null : answer.error);
    setDone(answer.ok ? outcome : null);
    if (answer.ok) onSaved();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const [bits, parity, stop] = framing.split('') as [string, 'N' | 'E' | 'O', string];
    const timeout = numberOrUndefined(timeoutS);
    const scale = {
      path: path.trim(),
      ...(name.trim() && { name: name.trim() }),
      protocol,
      baudRate: Number(baud),
      dataBits: Number(bits),
      parity: parityOf[parity],
      stopBits: Number(stop),
      ...(protocol === 'ascii' && pattern.trim() && { pattern: pattern.trim() }),
      unit,
      minKg: numberOrUndefined(minKg),
      maxKg: numberOrUndefined(maxKg),
      stableTimeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
    };
    void configure(JSON.parse(JSON.stringify(scale)) as Record<string, unknown>, 'saved');
  };

  return (
    <div data-testid="scale-settings">
      <h3>{t('scaleSettings.title')}</h3>
      <dl className="facts" data-testid="scale-state">
        <dt>{t('scaleSettings.state')}</dt>
        <dd>{state ? t(`hardware.scale.${state.state}`) : t('scaleSettings.none')}</dd>
        {state?.problem && (
          <>
            <dt>{t('scaleSettings.problem')}</dt>
            <dd>{state.problem}</dd>
          </>
        )}
        {state?.latest && (
          <>
            <dt>{t('scaleSettings.latest')}</dt>
            <dd>
              {state.latest.kg !== null ? `${kgText(state.latest.kg)} kg` : '–'} ·{' '}
              {t(`scaleSettings.kinds.${state.latest.kind}`, { defaultValue: state.latest.kind })} ·{' '}
              {formatTime(state.latest.at)}
            </dd>
          </>
        )}
      </dl>
      <form className="form" onSubmit={submit} data-testid="scale-form">
        <Field
          label={t('scaleSettings.path')}
          name="scalePath"
          required
          placeholder="/dev/ttyUSB0"
          value={path}
          onChange={(e) => setPath(e.target.value)}
        />
        <Field
          label={t('scaleSettings.name')}
          name="scaleName"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label={t('scaleSettings.protocol')}
          name="scaleProtocol"
          value={protocol}
          options={protocols.map((p) => ({ value: p, label: t(`scaleSettings.protocols.${p}`) }))}
          onChange={setProtocol}
        />
        <div className="row-form">
          <SelectField
            label={t('scaleSettings.baud')}
            name="scaleBaud"
            value={baud}
            options={bauds.map((b) => ({ value: b, label: b }))}
            onChange={setBaud}
          />
          <SelectField
            label={t('scaleSettings.framing')}
            name="scaleFraming"
            value={framing}
            options={framings.map((f) => ({ value: f, label: f }))}
            onChange={setFraming}
          />
          <SelectField
            label={t('scaleSettings.unit')}
            name="scaleUnit"
            value={unit}
            options={units.map((u) => ({ value: u, label: u }))}
            onChange={setUnit}
          />
        </div>
        {protocol === 'ascii' && (
          <>
            <Field
              label={t('scaleSettings.pattern')}
              name="scalePattern"
              className="mono"
              spellCheck={false}
              placeholder={'{status},{any},{sign}{value}{unit}'}
              value={pattern}
              onChange={(e) => setPattern(e.target.value)}
            />
            <p className="hint">
              {t('scaleSettings.patternHelp')} <code>{'{status},{any},{sign}{value}{unit}'}</code>
            </p>
          </>
        )}
        <div className="row-form">
          <Field
            label={t('scaleSettings.minKg')}
            name="scaleMinKg"
            type="number"
            min={0}
            step="any"
            value={minKg}
            onChange={(e) => setMinKg(e.target.value)}
          />
          <Field
            label={t('scaleSettings.maxKg')}
            name="scaleMaxKg"
            type="number"
            min={0}
            step="any"
            value={maxKg}
            onChange={(e) => setMaxKg(e.target.value)}
          />
          <Field
            label={t('scaleSettings.timeout')}
            name="scaleTimeout"
            type="number"
            min={0.5}
            step="any"
            value={timeoutS}
            onChange={(e) => setTimeoutS(e.target.value)}
          />
        </div>
        <ErrorLine text={error && errorText(error)} />
        {done && (
          <p className="notice" role="status" data-testid="scale-done">
            {t(`scaleSettings.${done}`)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="scale-save">
            {t('scaleSettings.save')}
          </button>
          {saved && (
            <button
              type="button"
              className="button button-danger"
              data-testid="scale-remove"
              onClick={() => void configure(null, 'removed')}
            >
              {t('scaleSettings.remove')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/api.ts';
import {
  labelLayouts,
  type PrintJobState,
  type PrinterConfig,
  type PrinterState,
} from '../../../src-shared/hardware.ts';
import { useClient } from '../../app/station-context.tsx';
import { useErrorText } from '../../i18n/error-text.ts';
import { ErrorLine, Field } from '../../ui/ui.tsx';
import { fieldText, numberOrUndefined, SelectField } from './SelectField.tsx';

type Kind = PrinterConfig['connection']['kind'];
type Layout = PrinterConfig['layout'];
const kinds: readonly Kind[] = ['tcp', 'serial', 'device'];
const queueStates: readonly PrintJobState[] = ['pending', 'sending', 'sent', 'sent_unconfirmed', 'failed'];

/**
 * Admin: the ZPL label printer: on the network (raw TCP, port 9100), on a serial port, or a device file (USB);
 * the label layout and the printer's dpi; whether a completed parent prints its label by itself. Saved with
 * hardware.configure; shows the printer's state and the print queue.
 */
export function PrinterSettings({
  saved,
  state,
  onSaved,
}: {
  saved: PrinterConfig | null;
  state: PrinterState | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [kind, setKind] = useState<Kind>('tcp');
  const [host, setHost] = useState('');
  const [port, setPort] = useState('');
  const [path, setPath] = useState('');
  const [baud, setBaud] = useState('');
  const [name, setName] = useState('');
  const [layout, setLayout] = useState<Layout>('100x150mm');
  const [dpi, setDpi] = useState<'203' | '300'>('203');
  const [onComplete, setOnComplete] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const [done, setDone] = useState<'saved' | 'removed' | null>(null);

  useEffect(() => {
    if (!saved) return;
    const c = saved.connection;
    setKind(c.kind);
    setHost(c.kind === 'tcp' ? c.host : '');
    setPort(c.kind === 'tcp' ? fieldText(c.port) : '');
    setPath(c.kind === 'tcp' ? '' : c.path);
    setBaud(c.kind === 'serial' ? fieldText(c.baudRate) : '');
    setName(saved.name ?? '');
    setLayout(saved.layout);
    setDpi(saved.dpi === 300 ? '300' : '203');
    setOnComplete(saved.printOnComplete !== false);
  }, [saved]);

  const configure = async (printer: PrinterConfig | null, outcome: 'saved' | 'removed') => {
    const answer = await client.call('hardware.configure', { printer });
    setError(answer.ok ? null : answer.error);
    setDone(answer.ok ? outcome : null);
    if (answer.ok) onSaved();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const connection: PrinterConfig['connection'] =
      kind === 'tcp'
        ? { kind, host: host.trim(), ...(port.trim() && { port: numberOrUndefined(port)! }) }
        : kind === 'serial'
          ? { kind, path: path.trim(), ...(baud.trim() && { baudRate: numberOrUndefined(baud)! }) }
          : { kind, path: path.trim() };
    const printer: PrinterConfig = {
      connection,
      ...(name.trim() && { name: name.trim() }),
      layout,
      dpi: dpi === '300' ? 300 : 203,
      printOnComplete: onComplete,
    };
    void configure(printer, 'saved');
  };

  return (
    <div data-testid="printer-settings">
      <h3>{t('printerSettings.title')}</h3>
      <dl className="facts" data-testid="printer-state">
        <dt>{t('printerSettings.state')}</dt>
        <dd>{state ? t(`hardware.printer.${state.state}`) : t('printerSettings.none')}</dd>
        {state?.error && (
          <>
            <dt>{t('printerSettings.problem')}</dt>
            <dd>{state.error}</dd>
          </>
        )}
        {state && (
          <>
            <dt>{t('printerSettings.queue')}</dt>
            <dd data-testid="printer-queue">
              {queueStates.map((s) => t(`labels.states.${s}`) + ` ${state.queue[s]}`).join(' · ')}
            </dd>
          </>
        )}
      </dl>
      <form className="form" onSubmit={submit} data-testid="printer-form">
        <SelectField
          label={t('printerSettings.connection')}
          name="printerKind"
          value={kind}
          options={kinds.map((k) => ({ value: k, label: t(`printerSettings.kinds.${k}`) }))}
          onChange={setKind}
        />
        {kind === 'tcp' ? (
          <div className="row-form">
            <Field
              label={t('printerSettings.host')}
              name="printerHost"
              required
              placeholder="192.168.1.50"
              value={host}
              onChange={(e) => setHost(e.target.value)}
            />
            <Field
              label={t('printerSettings.port')}
              name="printerPort"
              type="number"
              min={1}
              max={65535}
              placeholder="9100"
              value={port}
              onChange={(e) => setPort(e.target.value)}
            />
          </div>
        ) : (
          <div className="row-form">
            <Field
              label={t('printerSettings.path')}
              name="printerPath"
              required
              placeholder={kind === 'serial' ? '/dev/ttyUSB1' : '/dev/usb/lp0'}
              value={path}
              onChange={(e) => setPath(e.target.value)}
            />
            {kind === 'serial' && (
              <Field
                label={t('printerSettings.baud')}
                name="printerBaud"
                type="number"
                min={300}
                placeholder="9600"
                value={baud}
                onChange={(e) => setBaud(e.target.value)}
              />
            )}
          </div>
        )}
        <Field
          label={t('printerSettings.name')}
          name="printerName"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <div className="row-form">
          <SelectField
            label={t('printerSettings.layout')}
            name="printerLayout"
            value={layout}
            options={labelLayouts.map((l) => ({ value: l, label: t(`printerSettings.layouts.${l}`) }))}
            onChange={setLayout}
          />
          <SelectField
            label={t('printerSettings.dpi')}
            name="printerDpi"
            value={dpi}
            options={[
              { value: '203', label: '203 dpi' },
              { value: '300', label: '300 dpi' },
            ]}
            onChange={setDpi}
          />
        </div>
        <label className="check">
          <input
            type="checkbox"
            name="printOnComplete"
            checked={onComplete}
            onChange={(e) => setOnComplete(e.target.checked)}
          />{' '}
          {t('printerSettings.onComplete')}
        </label>
        <ErrorLine text={error && errorText(error)} />
        {done && (
          <p className="notice" role="status" data-testid="printer-done">
            {t(`printerSettings.${done}`)}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" data-testid="printer-save">
            {t('printerSettings.save')}
          </button>
          {saved && (
            <button
              type="button"
              className="button button-danger"
              data-testid="printer-remove"
              onClick={() => void configure(null, 'removed')}
            >
              {t('printerSettings.remove')}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import type { LabelPreview, PrintJobView } from '../../src-shared/hardware.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { StateIcon, type StateShape } from '../ui/StateIcon.tsx';
import { ErrorLine, formatDateTime, Section } from '../ui/ui.tsx';

/** "sent" is as far as a printer without status lets the station know: never shown as printed. */
const shapeOf: Record<PrintJobView['state'], StateShape> = {
  pending: 'wait',
  sending: 'wait',
  sent: 'ok',
  sent_unconfirmed: 'warn',
  failed: 'bad',
};

/**
 * Look-up of a parent: its labels (the print queue's jobs, newest first) with their state as the station knows it,
 * a preview of the label for anyone, and for a supervisor a reprint.
 */
export function ParentLabels({
  parent,
  labels,
  canReprint,
  onReprinted,
}: {
  parent: string;
  labels: PrintJobView[];
  canReprint: boolean;
  onReprinted: (sentence: string) => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [error, setError] = useState<ApiError | null>(null);
  const [preview, setPreview] = useState<LabelPreview | null>(null);
  const [busy, setBusy] = useState(false);
  // Look-up's jobs carry the printer's message code, printer.jobs its English sentence: a code is translated.
  const jobError = (error: string) =>
    /^[a-z_]+$/.test(error) ? t(`labels.errors.${error}`, { defaultValue: error }) : error;

  const reprint = async () => {
    setBusy(true);
    const answer = await client.call('printer.reprint', { parent });
    setBusy(false);
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onReprinted(t('labels.reprintQueued', { parent }));
  };
  const showPreview = async () => {
    if (preview) return setPreview(null);
    setBusy(true);
    const answer = await client.call('printer.preview', { parent });
    setBusy(false);
    setError(answer.ok ? null : answer.error);
    setPreview(answer.ok ? answer.value : null);
  };

  return (
    <Section
      title={t('labels.title')}
      actions={
        <>
          <button
            type="button"
            className="button"
            data-testid="label-preview"
            aria-expanded={!!preview}
            disabled={busy}
            onClick={() => void showPreview()}
          >
            {preview ? t('labels.hidePreview') : t('labels.preview')}
          </button>
          {canReprint && (
            <button
              type="button"
              className="button button-primary"
              data-testid="label-reprint"
              disabled={busy}
              onClick={() => void reprint()}
            >
              {t('labels.reprint', { parent })}
            </button>
          )}
        </>
      }
    >
      <ErrorLine text={error && errorText(error)} />
      {preview && (
        <figure className="label-preview" data-testid="label-preview-image">
          <img
            src={preview.png}
            alt={t('labels.previewAlt', { parent })}
            data-layout={preview.layout}
            data-dpi={preview.dpi}
          />
          <figcaption>
            {t('labels.previewCaption', {
              layout: t(`printerSettings.layouts.${preview.layout}`),
              dpi: preview.dpi,
            })}
          </figcaption>
        </figure>
      )}
      <table className="table" data-testid="labels">
        <thead>
          <tr>
            <th>{t('table.time')}</th>
            <th>{t('labels.why')}</th>
            <th>{t('labels.state')}</th>
            <th>{t('table.user')}</th>
          </tr>
        </thead>
        <tbody>
          {labels.map((job) => (
            <tr key={job.id} data-state={job.state}>
              <td className="nowrap">{formatDateTime(job.sentAt ?? job.createdAt)}</td>
              <td>{t(`labels.reasons.${job.reason}`)}</td>
              <td>
                <span className="label-state">
                  <StateIcon shape={shapeOf[job.state]} />
                  {t(`labels.states.${job.state}`)}
                  {job.attempts > 1 && ` · ${t('labels.attempts', { count: job.attempts })}`}
                </span>
                {job.error && <div className="hint">{jobError(job.error)}</div>}
              </td>
              <td>{job.requestedBy ?? '–'}</td>
            </tr>
          ))}
          {labels.length === 0 && (
            <tr>
              <td colSpan={4}>{t('labels.none')}</td>
            </tr>
          )}
        </tbody>
      </table>
    </Section>
  );
}

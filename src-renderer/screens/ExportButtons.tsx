import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { download } from '../ui/download.ts';
import { ErrorLine } from '../ui/ui.tsx';
import {
  exportFormat,
  formatsFor,
  type BillFormat,
  type ExportFormat,
  type ReportFormat,
} from '../../src-shared/export-formats.ts';

type Props = { kind: 'bill'; billNo: string } | { kind: 'endOfDay'; date: string };

/**
 * Export buttons: a bill or the end-of-day report, one button a format that exports it
 * (src-shared/export-formats.ts); saved through the desktop app's save dialog, or a download in the browser.
 */
export function ExportButtons(props: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [message, setMessage] = useState<string | null>(null);
  const formats: readonly ExportFormat[] = formatsFor(props.kind);

  const run = async (format: ExportFormat) => {
    const answer =
      props.kind === 'bill'
        ? await client.call('bills.export', { billNo: props.billNo, format: format as BillFormat })
        : await client.call('reports.endOfDay', { date: props.date, format: format as ReportFormat });
    if (answer.ok) {
      const bridge = window.station;
      if (!bridge) {
        download(answer.value);
        setMessage(null);
        return;
      }
      const saved = await bridge.saveFile(answer.value);
      // A closed dialog saved nothing, and needs no sentence.
      setMessage(saved.ok || saved.error.code === 'save_cancelled' ? null : errorText(saved.error));
    } else {
      setMessage(errorText(answer.error));
    }
  };

  return (
    <div className="exports" role="group" aria-label={t('export.label')}>
      {formats.map((format) => (
        <button key={format} type="button" className="button" onClick={() => void run(format)}>
          {t(exportFormat(format).labelKey)}
        </button>
      ))}
      <ErrorLine text={message} />
    </div>
  );
}

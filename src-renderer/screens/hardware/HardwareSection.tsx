import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/api.ts';
import type { HardwareSettings } from '../../../src-shared/hardware.ts';
import { useClient } from '../../app/station-context.tsx';
import { useErrorText } from '../../i18n/error-text.ts';
import { ErrorLine, Section } from '../../ui/ui.tsx';
import { useHardwareState } from '../../weighing/use-hardware.ts';
import { PrinterSettings } from './PrinterSettings.tsx';
import { ScaleSettings } from './ScaleSettings.tsx';

/** Admin: the scale and the label printer, their saved settings (hardware.get) and their state now. */
export function HardwareSection() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [saved, setSaved] = useState<HardwareSettings | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reads, setReads] = useState(0);
  const state = useHardwareState(reads);
  const load = useCallback(async () => {
    const answer = await client.call('hardware.get', {});
    setError(answer.ok ? null : answer.error);
    if (answer.ok) setSaved(answer.value);
  }, [client]);
  useEffect(() => {
    void load();
  }, [load, reads]);
  const onSaved = () => setReads((n) => n + 1);

  return (
    <Section title={t('hardware.title')}>
      <ErrorLine text={error && errorText(error)} />
      <ScaleSettings saved={saved?.scale ?? null} state={state?.scale ?? null} onSaved={onSaved} />
      <PrinterSettings saved={saved?.printer ?? null} state={state?.printer ?? null} onSaved={onSaved} />
    </Section>
  );
}

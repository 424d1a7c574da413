import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../src-shared/api.ts';
import type { StationProfile } from '../../../src-shared/profile.ts';
import { useClient } from '../../app/station-context.tsx';
import { useErrorText } from '../../i18n/error-text.ts';
import { ErrorLine, Field, Section } from '../../ui/ui.tsx';

type NumberField =
  'childWeightKg' | 'parentTareKg' | 'weightToleranceKg' | 'weightTolerancePct' | 'weighMinKg';
const numberFields: readonly NumberField[] = [
  'childWeightKg',
  'parentTareKg',
  'weightToleranceKg',
  'weightTolerancePct',
  'weighMinKg',
];

/**
 * Admin: the weight check of the station's profile (settings.update): a child bag's nominal weight, the empty
 * parent bag's own weight, the tolerance in kg and in % (the larger applies), the least weight that means the bag
 * is on the scale, how long the station waits for it, and whether the next parent waits for the weight.
 */
export function WeightCheckSettings() {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [values, setValues] = useState<Record<NumberField, string> | null>(null);
  const [timeoutS, setTimeoutS] = useState('');
  const [required, setRequired] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);

  const show = (profile: StationProfile) => {
    setValues(
      Object.fromEntries(numberFields.map((f) => [f, String(profile[f])])) as Record<NumberField, string>,
    );
    setTimeoutS(String(profile.weighTimeoutMs / 1000));
    setRequired(profile.weightRequired);
  };
  useEffect(() => {
    void client.call('settings.get', {}).then((a) => a.ok && show(a.value.profile));
  }, [client]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!values) return;
    const profile = {
      ...Object.fromEntries(numberFields.map((f) => [f, Number(values[f])])),
      weighTimeoutMs: Math.round(Number(timeoutS) * 1000),
      weightRequired: required,
    };
    const answer = await client.call('settings.update', { profile });
    setError(answer.ok ? null : answer.error);
    setSaved(answer.ok);
    if (answer.ok) show(answer.value.profile);
  };

  return (
    <Section title={t('weightCheck.title')}>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="weight-check">
        <p className="hint">{t('weightCheck.help')}</p>
        {values && (
          <>
            <div className="row-form">
              {numberFields.map((f) => (
                <Field
                  key={f}
                  label={t(`weightCheck.${f}`)}
                  name={f}
                  type="number"
                  min={0}
                  step="any"
                  required
                  value={values[f]}
                  onChange={(e) => setValues({ ...values, [f]: e.target.value })}
                />
              ))}
              <Field
                label={t('weightCheck.weighTimeout')}
                name="weighTimeout"
                type="number"
                min={1}
                step="any"
                required
                value={timeoutS}
                onChange={(e) => setTimeoutS(e.target.value)}
              />
            </div>
            <label className="check">
              <input
                type="checkbox"
                name="weightRequired"
                checked={required}
                onChange={(e) => setRequired(e.target.checked)}
              />{' '}
              {t('weightCheck.weightRequired')}
            </label>
          </>
        )}
        <ErrorLine text={error && errorText(error)} />
        {saved && (
          <p className="notice" role="status">
            {t('settings.saved')}
          </p>
        )}
        <button type="submit" className="button button-primary" data-testid="weight-check-save">
          {t('common.save')}
        </button>
      </form>
    </Section>
  );
}

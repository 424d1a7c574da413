import { useTranslation } from 'react-i18next';
import type { ParentWeight } from '../../src-shared/hardware.ts';
import { formatDateTime, Section } from '../ui/ui.tsx';
import { WeightMark } from '../weighing/WeightMark.tsx';
import { kgText, useWeightGapText } from '../weighing/weight-text.ts';

/**
 * Look-up of a parent: its newest weighing as the station holds it: the kilograms and whether they still count
 * (weighed, stale since a change, put off, or never weighed and estimated), the check against the expected weight,
 * who acknowledged a weight that was off, and who weighed it on which scale.
 */
export function ParentWeightFacts({ weight }: { weight: ParentWeight }) {
  const { t } = useTranslation();
  const gapText = useWeightGapText();
  return (
    <Section title={t('weight.title')}>
      <dl className="facts" data-testid="parent-weight">
        <dt>{t('weight.kg')}</dt>
        <dd>
          <span className="big" data-testid="parent-weight-kg">
            {weight.kg !== null ? `${kgText(weight.kg)} kg` : '–'}
          </span>{' '}
          <WeightMark state={weight.state} />
        </dd>
        {weight.expectedKg !== null && (
          <>
            <dt>{t('weight.expected')}</dt>
            <dd>{t('weight.expectedValue', { kg: kgText(weight.expectedKg), count: weight.childCount })}</dd>
          </>
        )}
        {weight.kg !== null && (
          <>
            <dt>{t('weight.check')}</dt>
            <dd data-testid="parent-weight-check" data-check={weight.check}>
              {t(`weight.checks.${weight.check}`)}
              {weight.check === 'off' && ` · ${gapText(weight)}`}
            </dd>
          </>
        )}
        {weight.check === 'off' && (
          <>
            <dt>{t('weight.acknowledged')}</dt>
            <dd data-testid="parent-weight-ack">
              {weight.acknowledgedBy
                ? t('weight.acknowledgedValue', {
                    who: weight.acknowledgedBy,
                    at: formatDateTime(weight.acknowledgedAt),
                  })
                : t('weight.notAcknowledged')}
            </dd>
          </>
        )}
        {weight.at !== null && weight.state === 'later' && (
          <>
            <dt>{t('weight.putOff')}</dt>
            <dd>{t('weight.putOffValue', { at: formatDateTime(weight.at), who: weight.by ?? '–' })}</dd>
          </>
        )}
        {weight.at !== null && weight.state !== 'later' && (
          <>
            <dt>{t('weight.when')}</dt>
            <dd>
              {t('weight.whenValue', {
                at: formatDateTime(weight.at),
                who: weight.by ?? '–',
                scale: weight.scale ?? '–',
              })}
            </dd>
          </>
        )}
      </dl>
    </Section>
  );
}

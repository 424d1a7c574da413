import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../src-shared/api.ts';
import type { WeighingState } from '../../src-shared/hardware.ts';
import { useClient } from '../app/station-context.tsx';
import { FlashIcon } from '../feedback/FlashIcon.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine } from '../ui/ui.tsx';
import { useHardwareState } from './use-hardware.ts';
import { useSecondsLeft } from './use-weighing.ts';
import { kgText, useWeightGapText } from './weight-text.ts';

/**
 * The scan screen's weighing of the parent just completed: put it on the scale (with the time left and what the
 * scale shows now), then what the station recorded, or why it took no weight with "Weigh again" and "Weigh later".
 * Each state has its words and its icon besides its colour. Nothing here says "weighed" before the station does.
 */
export function WeighingPanel({ state }: { state: WeighingState }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const gapText = useWeightGapText();
  const hardware = useHardwareState();
  const secondsLeft = useSecondsLeft(state.phase === 'waiting' ? state.deadlineAt : null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const parent = state.parentCode;
  // The scale's refusals are not in the station's catalogue yet: their Hindi lives here, English is the station's.
  const refusalText = (refusal: NonNullable<WeighingState['refusal']>) =>
    i18n.language !== 'en' && i18n.exists(`weigh.refusals.${refusal.code}`)
      ? t(`weigh.refusals.${refusal.code}`, refusal.params)
      : errorText(refusal);

  const run = async (method: 'weights.weighAgain' | 'weights.weighLater') => {
    if (busy) return;
    setBusy(true);
    const answer = await client.call(method, {});
    setBusy(false);
    setError(answer.ok ? null : answer.error);
  };
  const later = (
    <button
      type="button"
      className="button button-big"
      data-testid="weigh-later"
      disabled={busy}
      onClick={() => void run('weights.weighLater')}
    >
      {t('weigh.later')}
    </button>
  );
  const latest = hardware?.scale?.latest ?? null;
  const weight = state.weight;
  // A weight found off and then accepted by a supervisor is recorded, but never shown as a plain "weighed".
  const checkedOff = state.phase === 'recorded' && weight?.check === 'off';
  const look = checkedOff ? 'off' : state.phase;

  return (
    <section
      className={`weighing weighing-${look}`}
      data-testid="weighing"
      data-phase={state.phase}
      aria-live="polite"
      aria-labelledby="weighing-title"
    >
      <div className="weighing-head">
        <FlashIcon icon={look === 'refused' ? 'error' : look === 'recorded' ? 'ok' : 'weight'} />
        <h2 id="weighing-title" data-testid="weighing-title">
          {state.phase === 'waiting' && t('weigh.put', { parent })}
          {state.phase === 'recorded' && !checkedOff && t('weigh.recorded', { parent })}
          {checkedOff && t('weigh.offChecked', { parent })}
          {state.phase === 'off' && t('weigh.off', { parent })}
          {state.phase === 'refused' && t('weigh.refused', { parent })}
          {state.phase === 'later' && t('weigh.putOff', { parent })}
        </h2>
      </div>
      {state.phase === 'waiting' && (
        <div className="weighing-live">
          <span className="weighing-kg" data-testid="weighing-live">
            {latest?.kg != null ? `${kgText(latest.kg)} kg` : '– kg'}
            {latest?.kg != null && latest.kind !== 'stable' && (
              <span className="weighing-unstable"> · {t('weigh.settling')}</span>
            )}
          </span>
          {secondsLeft !== null && (
            <span className="weighing-countdown" data-testid="weighing-countdown">
              {t('weigh.secondsLeft', { seconds: secondsLeft })}
            </span>
          )}
        </div>
      )}
      {(state.phase === 'recorded' || state.phase === 'off') && weight?.kg != null && (
        <div className="weighing-live">
          <span className="weighing-kg" data-testid="weighing-kg">
            {kgText(weight.kg)} kg
          </span>
          <span className="weighing-check" data-testid="weighing-check">
            {weight.check === 'ok' && t('weigh.checkOk', { expected: kgText(weight.expectedKg ?? 0) })}
            {weight.check === 'none' && t('weigh.checkNone')}
            {weight.check === 'off' && gapText(weight)}
          </span>
        </div>
      )}
      {(state.phase === 'off' || state.phase === 'recorded') && weight?.check === 'off' && (
        <p className="weighing-note" data-testid="weighing-note">
          {weight.acknowledgedBy
            ? t('weigh.acknowledgedBy', { who: weight.acknowledgedBy })
            : t('weigh.waitsForSupervisor')}
        </p>
      )}
      {state.phase === 'refused' && state.refusal && (
        <p className="weighing-why" data-testid="weighing-why">
          {refusalText(state.refusal)}
        </p>
      )}
      {state.phase === 'refused' && (
        <div className="weighing-actions">
          <button
            type="button"
            className="button button-big button-primary"
            data-testid="weigh-again"
            disabled={busy}
            onClick={() => void run('weights.weighAgain')}
          >
            {t('weigh.again')}
          </button>
          {later}
        </div>
      )}
      {state.phase === 'waiting' && <div className="weighing-actions">{later}</div>}
      {state.blocksNextParent && (state.phase === 'waiting' || state.phase === 'refused') && (
        <p className="weighing-blocks" data-testid="weighing-blocks">
          {t('weigh.blocksNext', { parent })}
        </p>
      )}
      <ErrorLine text={error && errorText(error)} />
    </section>
  );
}

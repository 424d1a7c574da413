import { useTranslation } from 'react-i18next';
import type { WeightState } from '../../src-shared/hardware.ts';
import { StateIcon, type StateShape } from '../ui/StateIcon.tsx';

const shapeOf: Record<WeightState, StateShape> = {
  recorded: 'ok',
  stale: 'warn',
  later: 'wait',
  estimated: 'wait',
};

/** How far to trust a parent's weight, in words with a shape: weighed, stale (changed since), weigh later, estimated. */
export function WeightMark({ state }: { state: WeightState }) {
  const { t } = useTranslation();
  return (
    <span className={`tag tag-weight tag-weight-${state}`} data-testid="weight-mark" data-state={state}>
      <StateIcon shape={shapeOf[state]} />
      {t(`weight.states.${state}`)}
    </span>
  );
}

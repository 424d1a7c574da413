import { useEffect, useRef } from 'react';
import type { WeighingState } from '../../src-shared/hardware.ts';
import { weightFlash, weightFlashId } from '../feedback/feedback.ts';
import type { Feedback } from '../feedback/use-feedback.ts';
import { useWeightGapText } from './weight-text.ts';

/** A weighing that is off and still waits for a supervisor. */
export const waitsForSupervisor = (state: WeighingState | null): state is WeighingState =>
  state?.phase === 'off' && !!state.weight && state.weight.acknowledgedBy === null;

/**
 * The orange flash of a parent whose weight is off, from the station's weighing state: shown once per weighing
 * while logged in, and taken down when the station says a supervisor acknowledged it (here, in another tab or on
 * another screen) or the parent was weighed again. It stands aside while nobody is logged in, so the login screen
 * can be used; after the next login the weighing is read again (useWeighing) and it comes back.
 */
export function useWeightFlash(state: WeighingState | null, loggedIn: boolean, feedback: Feedback) {
  const gapText = useWeightGapText();
  const shown = useRef<string | null>(null);
  const { show, dismiss } = feedback;
  useEffect(() => {
    const waits = loggedIn && waitsForSupervisor(state);
    const id = waits ? weightFlashId(state.parentCode, state.weight!.at) : null;
    if (shown.current && shown.current !== id) {
      dismiss(shown.current);
      shown.current = null;
    }
    if (!id || !state?.weight) return;
    if (shown.current === id) return;
    shown.current = id;
    show(weightFlash(state.parentCode, state.weight, gapText(state.weight)));
  }, [state, loggedIn, gapText, show, dismiss]);
}

import type { Clock } from '../../src-shared/clock.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { ParentWeight, WeighingState } from '../../src-shared/hardware.ts';
import type { StationProfile } from '../../src-shared/profile.ts';
import { requireRole } from '../core/roles.ts';
import { scaleMessage } from '../scale/codes.ts';
import type { WeighResult } from '../scale/reader.ts';
import type { HardwareControl } from './hardware-control.ts';
import type { WeightPort } from './weight-port.ts';
import { weightOffParams } from '../../src-shared/weight-text.ts';

export interface CompletionDeps {
  weights: WeightPort;
  hardware: () => HardwareControl | null;
  profile: () => StationProfile;
  clock: Clock;
  emit: (state: WeighingState) => void;
  log: (line: string) => void;
}

/**
 * What happens when a parent is completed (the button, CMD-COMPLETE, or the child that fills it): with a scale,
 * a weighing that runs behind the scan path (the worker keeps scanning while the bag goes onto the scale), then
 * the weight or a refusal the worker answers with "weigh again" or "weigh later"; once the weighing settles (or at
 * once without a scale) the parent's label is queued. The scale weighs one bag at a time: a parent completed
 * while the previous one still waits puts the previous one off ("weigh later"), so no weight is taken for the
 * wrong parent.
 */
export function createCompletion(deps: CompletionDeps) {
  const { weights, hardware, clock, emit, log } = deps;
  let current: WeighingState | null = null;
  let waiting: { parentCode: string; abort: AbortController; actor: Operator | null } | null = null;

  function show(state: WeighingState): WeighingState {
    current = state;
    emit(state);
    return state;
  }

  function stateOf(
    parentCode: string,
    phase: WeighingState['phase'],
    extra: Partial<Pick<WeighingState, 'deadlineAt' | 'weight' | 'refusal'>> = {},
  ): WeighingState {
    const blocks = deps.profile().weightRequired && (phase === 'waiting' || phase === 'refused');
    return {
      parentCode,
      phase,
      deadlineAt: extra.deadlineAt ?? null,
      weight: extra.weight ?? null,
      refusal: extra.refusal ?? null,
      blocksNextParent: blocks,
    };
  }

  /** Queues the label after the weighing settled: a printer problem never undoes the completion. */
  function queueLabel(parentCode: string): void {
    const control = hardware();
    if (!control?.printsOnComplete()) return;
    try {
      control.print(weights.labelFacts(parentCode), 'completed', null);
    } catch (e) {
      log(
        `printer: the label of ${parentCode} was not queued: ${e instanceof Error ? e.message : String(e)}`,
      );
    }
  }

  function settle(parentCode: string, actor: Operator | null, abort: AbortController, result: WeighResult) {
    if (waiting?.abort !== abort) return; // put off or replaced meanwhile: that path settled it
    waiting = null;
    if (!result.ok) {
      const { code, params } = result.refusal;
      show(
        stateOf(parentCode, 'refused', { refusal: { code, message: scaleMessage(code, params), params } }),
      );
      return;
    }
    let weight: ParentWeight;
    try {
      const { weight: w } = result;
      weight = weights.record(actor, parentCode, {
        kg: w.kg,
        raw: w.raw,
        scale: w.name ?? w.path,
        at: w.at,
        ...(w.tareKg === undefined ? {} : { tareKg: w.tareKg }),
        ...(w.net === undefined ? {} : { net: w.net }),
      });
    } catch (e) {
      const error = e instanceof StationError ? e : new StationError('hardware_unavailable');
      log(`scale: the weight of ${parentCode} was not recorded: ${String(e)}`);
      show(
        stateOf(parentCode, 'refused', {
          refusal: { code: error.code, message: error.message, params: { ...error.params } },
        }),
      );
      return;
    }
    show(stateOf(parentCode, weight.check === 'off' ? 'off' : 'recorded', { weight }));
    // A parent whose weight is off gets its label once a supervisor has checked it: a truck loader scans the
    // label, so a bag with bags missing must not look ready before someone looked.
    if (weight.check !== 'off') queueLabel(parentCode);
  }

  function startWait(actor: Operator | null, parentCode: string, sameBag: boolean): WeighingState {
    const scale = hardware()?.scale();
    if (!scale) throw new StationError('scale_not_configured');
    const profile = deps.profile();
    waiting?.abort.abort();
    const abort = new AbortController();
    waiting = { parentCode, abort, actor };
    weights.start(actor, parentCode);
    const state = show(stateOf(parentCode, 'waiting', { deadlineAt: clock.now() + profile.weighTimeoutMs }));
    void scale
      .waitForStable({
        minKg: profile.weighMinKg,
        timeoutMs: profile.weighTimeoutMs,
        signal: abort.signal,
        sameBag,
        bag: parentCode,
      })
      .then((result) => settle(parentCode, actor, abort, result))
      .catch((e: unknown) => log(`scale: weighing ${parentCode} failed: ${String(e)}`));
    return state;
  }

  /** Puts the waiting parent off: core "weigh later", then its label. */
  function putOff(actor: Operator | null): WeighingState | null {
    if (!waiting) return null;
    const { parentCode, abort } = waiting;
    waiting = null;
    abort.abort();
    const weight = weights.later(actor, parentCode);
    queueLabel(parentCode);
    return show(stateOf(parentCode, 'later', { weight }));
  }

  /**
   * A weight off by more than the tolerance is a supervisor's to clear: weighing it again or putting it off would
   * replace it (and print its label) with nobody having looked, so neither is taken until it is acknowledged.
   */
  function refuseWhileOff(parentCode: string): void {
    const weight = weights.weightOf(parentCode);
    if (weight.check === 'off' && weight.acknowledgedAt === null && weight.state !== 'later')
      throw new StationError('weight_off', weightOffParams(weight));
  }

  /** The parent still without its weight: waiting, refused, or pending from before a restart. */
  function unsettled(): string | null {
    if (waiting) return waiting.parentCode;
    if (current?.phase === 'refused') return current.parentCode;
    return weights.pending();
  }

  return {
    /** A parent was completed (its transaction has committed): never throws into the scan path. */
    completed(actor: Operator | null, parentCode: string): void {
      try {
        // Filled by its last child, then "Complete" pressed out of habit, or pressed again after a restart: one
        // weighing and one label. The database says whether the parent was weighed (or put off) and is unchanged
        // since; a parent changed since (a child linked, undone, moved, the parent reopened) is weighed again.
        if (waiting?.parentCode === parentCode) return;
        if (weights.isCurrent(parentCode)) return;
        // Its weighing was refused, or still pending from before a restart: completing it again weighs again, and
        // the bag already on the scale may be this one.
        const again =
          current?.parentCode === parentCode
            ? current.phase === 'refused'
            : !current && weights.pending() === parentCode;
        // The previous parent still without a weight is put off ("weigh later") and gets its label: the scale
        // weighs one bag at a time, and no parent is left without a label because the worker moved on.
        const previous = unsettled();
        if (previous && previous !== parentCode) {
          if (!putOff(waiting?.actor ?? actor)) {
            const weight = weights.later(actor, previous);
            queueLabel(previous);
            show(stateOf(previous, 'later', { weight }));
          }
        }
        if (!hardware()?.scale()) {
          // No weighing row says the parent was completed: its last label does (the print queue's table keeps
          // the child count it printed, over a restart too), so the same parent completed again unchanged is one label.
          const childCount = weights.labelFacts(parentCode).childCount;
          if (hardware()?.lastCompletedLabel(parentCode) === childCount) return;
          queueLabel(parentCode);
          return;
        }
        startWait(actor, parentCode, again);
      } catch (e) {
        log(`completion of ${parentCode}: ${e instanceof Error ? e.message : String(e)}`);
      }
    },

    /** The scan screen's weighing panel: the weighing in progress or just ended, or the parent still pending. */
    current(actor: Operator | null): WeighingState | null {
      requireRole(actor, 'dock');
      // A weight shown as taken reads the database again: undone, moved or reopened since, it says stale.
      if (current?.weight && (current.phase === 'recorded' || current.phase === 'off'))
        current = { ...current, weight: weights.weightOf(current.parentCode) };
      if (current) return current;
      // After a restart: the parent still waits for its weight; the worker weighs again or puts it off.
      const pending = weights.pending();
      if (pending) return stateOf(pending, 'refused');
      // Or an off weight still waits for a supervisor: the orange flash comes back until it is acknowledged.
      const off = weights.unacknowledged(1)[0];
      if (off) current = stateOf(off.parentCode, 'off', { weight: off });
      return current;
    },

    weighAgain(actor: Operator | null): WeighingState {
      requireRole(actor, 'dock');
      const parentCode = waiting?.parentCode ?? current?.parentCode ?? weights.pending();
      if (!parentCode) throw new StationError('no_weighing');
      refuseWhileOff(parentCode);
      if (waiting) {
        waiting.abort.abort();
        waiting = null;
      }
      // Weigh again: the bag on the scale may be this parent's (just weighed, or put on after a refusal, or found
      // there after a restart); the reader still waits past another parent's bag (scale/reader.ts, bag).
      return startWait(actor, parentCode, true);
    },

    weighLater(actor: Operator | null): WeighingState {
      requireRole(actor, 'dock');
      if (!waiting && current) refuseWhileOff(current.parentCode);
      const off = putOff(actor);
      if (off) return off;
      const parentCode = current?.phase === 'refused' ? current.parentCode : weights.pending();
      if (!parentCode) throw new StationError('no_weighing');
      const weight = weights.later(actor, parentCode);
      queueLabel(parentCode);
      return show(stateOf(parentCode, 'later', { weight }));
    },

    /** After a supervisor's acknowledgement: the scan screen's orange flash ends and the held label prints. */
    acknowledged(weight: ParentWeight): void {
      if (current?.parentCode === weight.parentCode) show({ ...current, phase: 'recorded', weight });
      queueLabel(weight.parentCode);
    },

    /** Stops the wait in flight (shutdown): the parent stays pending for the next start. */
    stop(): void {
      waiting?.abort.abort();
      waiting = null;
    },
  };
}

export type Completion = ReturnType<typeof createCompletion>;

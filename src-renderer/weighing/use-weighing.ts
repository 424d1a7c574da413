import { useEffect, useState } from 'react';
import type { WeighingState } from '../../src-shared/hardware.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useLink } from '../app/use-link.ts';

/**
 * The weighing in progress or just ended: read once (weights.current) when mounted, again after a login or a lost link, and kept
 * by the onWeighing event. null: no weighing, or a station that runs no scale (hardware_unavailable).
 */
export function useWeighing(): WeighingState | null {
  const client = useClient();
  const [state, setState] = useState<WeighingState | null>(null);
  const [reads, setReads] = useState(0);
  // Read again when the link comes back: what changed while the page could not hear the station.
  const link = useLink();
  useEffect(() => {
    if (link !== 'up') return;
    let live = true;
    void client.call('weights.current', {}).then((answer) => {
      if (live && answer.ok) setState(answer.value);
    });
    return () => {
      live = false;
    };
  }, [client, reads, link]);
  useEvent('onSession', () => setReads((n) => n + 1));
  useEvent('onWeighing', (next) => setState(next));
  return state;
}

/**
 * Whole seconds left until `deadlineAt` (the station's clock: the screens run on the station's PC), ticking while
 * there is a deadline. Read from the clock at each render, so a new deadline shows right at once, not after a tick.
 */
export function useSecondsLeft(deadlineAt: number | null): number | null {
  const [, setTick] = useState(0);
  useEffect(() => {
    if (deadlineAt === null) return;
    const timer = setInterval(() => setTick((n) => n + 1), 250);
    return () => clearInterval(timer);
  }, [deadlineAt]);
  return deadlineAt === null ? null : secondsUntil(deadlineAt, Date.now());
}

export const secondsUntil = (deadlineAt: number, now: number) =>
  Math.max(0, Math.ceil((deadlineAt - now) / 1000));

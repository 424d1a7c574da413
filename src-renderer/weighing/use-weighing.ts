import { useEffect, useState } from 'react';
import type { WeighingState } from '../../src-shared/hardware.ts';
import { useClient, useEvent } from '../app/station-context.tsx';

/**
 * The weighing in progress or just ended: read once (weights.current) when mounted, again after a login, and kept
 * by the onWeighing event. null: no weighing, or a station that runs no scale (hardware_unavailable).
 */
export function useWeighing(): WeighingState | null {
  const client = useClient();
  const [state, setState] = useState<WeighingState | null>(null);
  const [reads, setReads] = useState(0);
  useEffect(() => {
    let live = true;
    void client.call('weights.current', {}).then((answer) => {
      if (live && answer.ok) setState(answer.value);
    });
    return () => {
      live = false;
    };
  }, [client, reads]);
  useEvent('onSession', () => setReads((n) => n + 1));
  useEvent('onWeighing', (next) => setState(next));
  return state;
}

/** Whole seconds left until `deadlineAt`, ticking while there is a deadline. */
export function useSecondsLeft(deadlineAt: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (deadlineAt === null) return;
    const timer = setInterval(() => setNow(Date.now()), 250);
    return () => clearInterval(timer);
  }, [deadlineAt]);
  return deadlineAt === null ? null : Math.max(0, Math.ceil((deadlineAt - now) / 1000));
}

import { useEffect, useState } from 'react';
import type { HardwareState } from '../../src-shared/hardware.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useLink } from '../app/use-link.ts';

/**
 * The scale's and the printer's state (hardware.state), kept by onHardwareState. null until the station answers,
 * and when it runs no hardware (a process without the scale and printer answers hardware_unavailable).
 */
export function useHardwareState(reload: unknown = null): HardwareState | null {
  const client = useClient();
  const [state, setState] = useState<HardwareState | null>(null);
  const [reads, setReads] = useState(0);
  // Read again when the link comes back: what changed while the page could not hear the station.
  const link = useLink();
  useEffect(() => {
    if (link !== 'up') return;
    let live = true;
    void client.call('hardware.state', {}).then((answer) => {
      if (live) setState(answer.ok ? answer.value : null);
    });
    return () => {
      live = false;
    };
  }, [client, reads, reload, link]);
  useEvent('onSession', () => setReads((n) => n + 1));
  useEvent('onHardwareState', (next) => setState(next));
  return state;
}

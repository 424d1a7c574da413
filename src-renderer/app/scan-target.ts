import { createContext, useContext, useEffect, useRef } from 'react';

/** What the screen on show wants a keyboard-wedge scan to do (lookup it, add it to a bill, use it as a badge). */
export type ScanTarget = (code: string, keptInField: boolean) => void;

export const ScanTargetContext = createContext<{ current: ScanTarget | null }>({ current: null });

/** While the calling screen is mounted, wedge scans go to handler instead of scan.submit. */
export function useScanTarget(handler: ScanTarget) {
  const slot = useContext(ScanTargetContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const target: ScanTarget = (code, kept) => latest.current(code, kept);
    // A panel opened inside a screen (moving a child) takes the scans while it is open, then gives them back.
    const previous = slot.current;
    slot.current = target;
    return () => {
      if (slot.current === target) slot.current = previous;
    };
  }, [slot]);
}

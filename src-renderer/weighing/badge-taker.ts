import { createContext, useContext, useEffect, useRef } from 'react';

/** Takes a badge read on the serial scanner while a supervisor's form is open (the weight acknowledgement). */
export type BadgeTaker = (code: string) => void;

export const BadgeTakerContext = createContext<{ current: BadgeTaker | null }>({ current: null });

/**
 * While mounted, a serial read the station refused (a badge is no bag code it can link) goes to handler instead
 * of the red flash. A serial read is a scan first: a badge that matches a bag pattern while a parent is active is
 * linked like any bag, so the keyboard-wedge scanner or typing is the safe way (see the report of issue 16).
 */
export function useBadgeTaker(handler: BadgeTaker) {
  const slot = useContext(BadgeTakerContext);
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const taker: BadgeTaker = (code) => latest.current(code);
    slot.current = taker;
    return () => {
      if (slot.current === taker) slot.current = null;
    };
  }, [slot]);
}

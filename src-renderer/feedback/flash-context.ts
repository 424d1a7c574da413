import { createContext, useContext } from 'react';
import type { ApiError } from '../../src-shared/api.ts';

/**
 * Flashes that do not come from the link flow: a parent put onto a bill (ok, or refused, or bill full), and a
 * read the station did not take: not sent (the link is down: null), sent but unanswered (the link dropped on the
 * way: it may or may not be saved), or refused before it was recorded.
 */
export interface FlashActions {
  billAdd(code: string, error: ApiError | null): void;
  readNotTaken(code: string, error: ApiError | null): void;
}

export const FlashContext = createContext<FlashActions>({ billAdd: () => {}, readNotTaken: () => {} });

export function useFlash(): FlashActions {
  return useContext(FlashContext);
}

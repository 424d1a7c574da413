import { createContext, useContext } from 'react';
import type { ApiError } from '../../src-shared/api.ts';

/** Flashes that do not come from the link flow: a parent put onto a bill (ok, or refused, or bill full). */
export interface FlashActions {
  billAdd(code: string, error: ApiError | null): void;
}

export const FlashContext = createContext<FlashActions>({ billAdd: () => {} });

export function useFlash(): FlashActions {
  return useContext(FlashContext);
}

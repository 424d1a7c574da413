import { createContext, useContext, useEffect, useRef } from 'react';
import type {
  Answer,
  EventName,
  EventPayloads,
  Method,
  ResultOf,
  StationApiClient,
} from '../../src-shared/api.ts';
import type { Role } from '../../src-shared/domain.ts';
import { roleAtLeast } from '../../src-shared/roles.ts';

export const StationContext = createContext<StationApiClient | null>(null);

export function useClient(): StationApiClient {
  const client = useContext(StationContext);
  if (!client) throw new Error('StationContext is missing');
  return client;
}

/** Subscribes for the component's lifetime; the latest listener is always the one called. */
export function useEvent<E extends EventName>(event: E, listener: (payload: EventPayloads[E]) => void) {
  const client = useClient();
  const latest = useRef(listener);
  latest.current = listener;
  useEffect(() => client.on(event, (payload) => latest.current(payload)), [client, event]);
}

export function hasRole(role: Role | undefined, needed: Role): boolean {
  return role !== undefined && roleAtLeast(role, needed);
}

export type Loaded<M extends Method> =
  | { state: 'loading' }
  | { state: 'ready'; value: ResultOf<M> }
  | { state: 'failed'; message: string; code: string };

export function loadedOf<M extends Method>(answer: Answer<ResultOf<M>>): Loaded<M> {
  if (answer.ok) return { state: 'ready', value: answer.value };
  return { state: 'failed', message: answer.error.message, code: answer.error.code };
}

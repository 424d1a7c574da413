import { useEffect, useState } from 'react';
import type { LinkState } from '../../src-shared/api.ts';
import { useClient } from './station-context.tsx';

/** The page's link to its station ('up' for the desktop app, whose IPC cannot drop). */
export function useLink(): LinkState {
  const client = useClient();
  const [link, setLink] = useState<LinkState>('up');
  useEffect(() => client.onLink?.(setLink), [client]);
  return link;
}

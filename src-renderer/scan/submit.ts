import type { StationApiClient } from '../../src-shared/api.ts';

/**
 * Where a read came from: a keyboard-wedge scanner, or a code typed by hand for a damaged label. The one place
 * the screens send a read, so a change in how scan.submit names its input is made here only.
 */
export type ReadSource = 'keyboard' | 'typed';

export function submitRead(client: StationApiClient, code: string, source: ReadSource) {
  return client.call('scan.submit', { code, scanner: source });
}

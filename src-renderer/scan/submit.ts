import type { ApiError, StationApiClient } from '../../src-shared/api.ts';

/**
 * Where a read came from: a keyboard-wedge scanner, or a code typed by hand for a damaged label. The one place
 * the screens send a read, so a change in how scan.submit names its input is made here only.
 */
export type ReadSource = 'keyboard' | 'typed';

export async function submitRead(
  client: StationApiClient,
  code: string,
  source: ReadSource,
  notTaken: (code: string, error: ApiError) => void,
): Promise<void> {
  // A taken read (linked, or recorded as refused) shows its flash from the station's scan event; a read the
  // station never took (the link dropped on the way, not logged in any more) must say so here.
  const answer = await client.call('scan.submit', { code, scanner: source });
  if (!answer.ok) notTaken(code, answer.error);
}

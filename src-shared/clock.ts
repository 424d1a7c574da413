/** Time comes in as a parameter so tests can move it. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** Local calendar day and hour of a moment, the keys of the dashboard counters. */
export function dayAndHour(at: number): { day: string; hour: number } {
  const d = new Date(at);
  const day = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  return { day, hour: d.getHours() };
}

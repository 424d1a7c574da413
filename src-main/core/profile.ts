import { z } from 'zod';

/** The station profile: the rules that differ between sites. Stored as JSON in the station row. */
export const stationProfileSchema = z.object({
  parentPatterns: z.array(z.string().min(1)).min(1).default(['^SB\\d{5}$', '^M444-\\d{5}$']),
  childPatterns: z.array(z.string().min(1)).min(1).default(['^[A-Z0-9]{4,20}$']),
  parentCapacity: z.number().int().min(1).max(1000).default(30),
  doubleReadWindowMs: z.number().int().min(0).max(60_000).default(1500),
  undoWindowMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 3600_000)
    .default(3600_000),
  childWeightKg: z.number().min(0).max(1000).default(1),
  parentExpectedWeightKg: z.number().min(0).max(100_000).default(30),
  lockoutAttempts: z.number().int().min(1).max(100).default(5),
  lockoutMs: z
    .number()
    .int()
    .min(0)
    .max(24 * 3600_000)
    .default(15 * 60_000),
  sessionIdleMs: z
    .number()
    .int()
    .min(60_000)
    .max(24 * 3600_000)
    .default(30 * 60_000),
});

export type StationProfile = z.infer<typeof stationProfileSchema>;

export const defaultProfile: StationProfile = stationProfileSchema.parse({});

export interface CompiledProfile extends StationProfile {
  parentRegexes: RegExp[];
  childRegexes: RegExp[];
}

export function compileProfile(profile: StationProfile): CompiledProfile {
  return {
    ...profile,
    parentRegexes: profile.parentPatterns.map((p) => new RegExp(p)),
    childRegexes: profile.childPatterns.map((p) => new RegExp(p)),
  };
}

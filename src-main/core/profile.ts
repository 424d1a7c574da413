import { z } from 'zod';

const HOUR = 3600_000;

/** The station profile: the rules that differ between sites. Stored as JSON in the station row. */
const profileFields = {
  parentPatterns: z.array(z.string().min(1).max(200)).min(1).max(20),
  childPatterns: z.array(z.string().min(1).max(200)).min(1).max(20),
  parentCapacity: z.number().int().min(1).max(1000),
  doubleReadWindowMs: z.number().int().min(0).max(60_000),
  undoWindowMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * HOUR),
  childWeightKg: z.number().min(0).max(1000),
  parentExpectedWeightKg: z.number().min(0).max(100_000),
  lockoutAttempts: z.number().int().min(1).max(100),
  lockoutMs: z
    .number()
    .int()
    .min(0)
    .max(24 * HOUR),
  sessionIdleMs: z
    .number()
    .int()
    .min(60_000)
    .max(24 * HOUR),
};

export const stationProfileSchema = z.object(profileFields);

/** What an admin may change: any of the fields, each within the same limits as the stored profile. */
export const profileChangeSchema = z.object(profileFields).partial().strict();

export type StationProfile = z.infer<typeof stationProfileSchema>;

export const defaultProfile: StationProfile = {
  parentPatterns: ['^SB\\d{5}$', '^M444-\\d{5}$'],
  childPatterns: ['^[A-Z0-9]{4,20}$'],
  parentCapacity: 30,
  doubleReadWindowMs: 1500,
  undoWindowMs: HOUR,
  childWeightKg: 1,
  parentExpectedWeightKg: 30,
  lockoutAttempts: 5,
  lockoutMs: 15 * 60_000,
  sessionIdleMs: 30 * 60_000,
};

/** A stored profile, with defaults for fields added by a later version. */
export function parseStoredProfile(json: string): StationProfile {
  return stationProfileSchema.parse({ ...defaultProfile, ...(JSON.parse(json) as object) });
}

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

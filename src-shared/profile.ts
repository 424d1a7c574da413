import { z } from 'zod';
import { codePatternProblem, parseCodePattern, type CodePattern } from './code-pattern.ts';
import { migratePatternList } from './pattern-migration.ts';

const HOUR = 3600_000;

/**
 * The expected weight the centre takes (sync protocol and drizzle/central 0012: 1,000,000 kg). A parent's expected
 * weight is tare + children x one child's weight, so the three limits below keep it within that at their largest:
 * a profile the settings accept never makes a weighing the sync refuses.
 */
const CENTRE_MAX_EXPECTED_KG = 1_000_000;
const MAX_CAPACITY = 1000;
const MAX_TARE_KG = 1000;
const MAX_CHILD_KG = (CENTRE_MAX_EXPECTED_KG - MAX_TARE_KG) / MAX_CAPACITY; // 999

/** The station profile: the rules that differ between sites. Stored as JSON in the station row. */
const profileFields = {
  parentPatterns: z.array(z.string().min(1).max(200)).min(1).max(20),
  childPatterns: z.array(z.string().min(1).max(200)).min(1).max(20),
  parentCapacity: z.number().int().min(1).max(MAX_CAPACITY),
  doubleReadWindowMs: z.number().int().min(0).max(60_000),
  undoWindowMs: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * HOUR),
  childWeightKg: z.number().min(0).max(MAX_CHILD_KG),
  parentExpectedWeightKg: z.number().min(0).max(100_000),
  /** The weight check (issue 16): an empty parent bag's own weight, subtracted from what the scale shows. */
  parentTareKg: z.number().min(0).max(MAX_TARE_KG),
  /** A weighed parent is off when |gap| exceeds the larger of these two (kg, and % of the expected weight). */
  weightToleranceKg: z.number().min(0).max(1000),
  weightTolerancePct: z.number().min(0).max(100),
  /** Completing a parent: the scale must show at least this (the bag has reached it), within weighTimeoutMs. */
  weighMinKg: z.number().min(0).max(100_000),
  weighTimeoutMs: z.number().int().min(1000).max(600_000),
  /** The next parent may start only once the completed one was weighed or put off ("weigh later"). */
  weightRequired: z.boolean(),
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
  parentTareKg: 0.5,
  weightToleranceKg: 1.5,
  weightTolerancePct: 5,
  weighMinKg: 2,
  weighTimeoutMs: 20_000,
  weightRequired: false,
  lockoutAttempts: 5,
  lockoutMs: 15 * 60_000,
  sessionIdleMs: 30 * 60_000,
};

/** A stored profile, with defaults for fields added by a later version. */
export function parseStoredProfile(json: string): StationProfile {
  return stationProfileSchema.parse({ ...defaultProfile, ...(JSON.parse(json) as object) });
}

export interface CompiledProfile extends StationProfile {
  parentMatchers: CodePattern[];
  childMatchers: CodePattern[];
  /** Saved patterns that are not code patterns and could not be rewritten: not used (see pattern-migration). */
  refusedPatterns: string[];
}

/** Saved patterns rewritten into code patterns, and what changed: applied once at start (context.ts). */
export function migrateProfilePatterns(profile: StationProfile) {
  const parent = migratePatternList(profile.parentPatterns);
  const child = migratePatternList(profile.childPatterns);
  return {
    profile: { ...profile, parentPatterns: parent.saved, childPatterns: child.saved },
    migrated: [...parent.migrated, ...child.migrated],
    refused: [...parent.refused, ...child.refused],
  };
}

/** Refuses a profile to be saved with a pattern that is not a code pattern, with the sentence for it. */
export function checkCodePatterns(profile: Pick<StationProfile, 'parentPatterns' | 'childPatterns'>): void {
  for (const source of [...profile.parentPatterns, ...profile.childPatterns]) {
    const problem = codePatternProblem(source);
    if (problem) throw problem;
  }
}

/** The profile with its patterns ready to match; a pattern that is not a code pattern is left out. */
export function compileProfile(profile: StationProfile): CompiledProfile {
  const usable = (list: string[]) => list.filter((p) => !codePatternProblem(p)).map(parseCodePattern);
  const all = [...profile.parentPatterns, ...profile.childPatterns];
  return {
    ...profile,
    parentMatchers: usable(profile.parentPatterns),
    childMatchers: usable(profile.childPatterns),
    refusedPatterns: all.filter((p) => codePatternProblem(p)),
  };
}

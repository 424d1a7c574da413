import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * How the desktop shell behaves on this PC, set by an admin in `desktop.json` in the data folder (IT can ship
 * it with the install). Station rules live in the database; this is only about the window and the PC.
 */
export const desktopConfigSchema = z
  .object({
    /** Full screen with no way out but the app's own log-out (for PCs that do nothing else). */
    kiosk: z.boolean().default(false),
    /** Full screen, but the window can still be left with the usual keys. */
    fullscreen: z.boolean().default(false),
    /** Start BagLink Station when the PC's user logs in. */
    autoStart: z.boolean().default(false),
    /** The LAN folder IT publishes updates to (electron-updater generic provider); none = no update checks. */
    updateUrl: z.url({ protocol: /^https?$/ }).optional(),
    /** Exact https links the screens may open in the system browser (e.g. a help page). */
    externalLinks: z
      .array(z.url({ protocol: /^https$/ }))
      .max(20)
      .default([]),
    /** Developer tools in the window (off unless IT turns it on to diagnose). */
    devTools: z.boolean().default(false),
  })
  .strict();

export type DesktopConfig = z.output<typeof desktopConfigSchema>;

export const desktopConfigFile = 'desktop.json';

/** A missing file means defaults; a broken one means defaults plus a logged sentence saying what is wrong. */
export function readDesktopConfig(dataDir: string, log: (line: string) => void): DesktopConfig {
  const path = join(dataDir, desktopConfigFile);
  let raw: unknown = {};
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      log(`config: ${path} is not valid JSON (${(e as Error).message}); using the defaults.`);
    }
  }
  const parsed = desktopConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const detail = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join('.') || 'file'}: ${i.message}`)
    .join('; ');
  log(`config: ${path} has a mistake (${detail}); using the defaults.`);
  return desktopConfigSchema.parse({});
}

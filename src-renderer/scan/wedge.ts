/**
 * Keyboard-wedge scanners type a code as fast keystrokes ending in Enter or Tab. Thresholds as in onScan.js:
 * at most ~30 ms per character on average, and a pause of more than 100 ms starts a new read. People type
 * slower than that, so a person's typing is never mistaken for a scan.
 */
export interface WedgeOptions {
  avgMsPerChar: number;
  gapMs: number;
  minLength: number;
}

export const wedgeDefaults: WedgeOptions = { avgMsPerChar: 30, gapMs: 100, minLength: 4 };

export interface KeyInput {
  key: string;
  at: number;
}

/** 'short': a scanner-fast read below the least length of a code (a bad read): it gets feedback too. */
export type WedgeVerdict =
  { type: 'char' } | { type: 'scan'; code: string } | { type: 'short'; code: string } | { type: 'other' };

export function createWedgeDetector(options: WedgeOptions = wedgeDefaults) {
  let chars: string[] = [];
  let firstAt = 0;
  let lastAt = 0;

  function reset() {
    chars = [];
  }

  return {
    /** Feeds one keydown; answers 'scan' on the Enter or Tab that ends a fast read. */
    key({ key, at }: KeyInput): WedgeVerdict {
      if (chars.length > 0 && at - lastAt > options.gapMs) reset();
      if (key.length === 1) {
        if (chars.length === 0) firstAt = at;
        chars.push(key);
        lastAt = at;
        return { type: 'char' };
      }
      if (key === 'Enter' || key === 'Tab') {
        const count = chars.length;
        const fast = count >= 2 && (lastAt - firstAt) / (count - 1) <= options.avgMsPerChar;
        const code = chars.join('');
        reset();
        if (count >= options.minLength && fast) return { type: 'scan', code };
        if (fast) return { type: 'short', code };
        return { type: 'other' };
      }
      if (key !== 'Shift') reset();
      return { type: 'other' };
    },
    reset,
  };
}

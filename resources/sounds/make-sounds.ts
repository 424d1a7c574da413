/**
 * Writes the station's scan sounds as small 16-bit mono WAV files next to this script. Each outcome has its
 * own pitch pattern, so a worker who is not looking at the screen still hears what happened:
 * ok one short high beep, duplicate two soft mid beeps, error a long low buzz, parent a rising pair,
 * parent-full a rising triple, bill-full a falling triple, undo a falling pair, reopened a rise and fall,
 * complete one long mid tone, double (a read ignored as a second read) one soft low tick, weight (a parent
 * whose weight is off, waiting for a supervisor) a low-high warble played twice. Run: npx tsx resources/sounds/make-sounds.ts
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const rate = 22_050;
type Tone = { hz: number; ms: number; gap?: number; wave?: 'sine' | 'square' };

function render(tones: Tone[], level: number): Buffer {
  const samples: number[] = [];
  for (const { hz, ms, gap = 40, wave = 'sine' } of tones) {
    const n = Math.round((rate * ms) / 1000);
    for (let i = 0; i < n; i++) {
      const phase = Math.sin((2 * Math.PI * hz * i) / rate);
      const value = wave === 'square' ? Math.sign(phase) * 0.6 : phase;
      const fade = Math.min(1, i / 80, (n - i) / 80);
      samples.push(value * fade * level);
    }
    samples.push(...new Array<number>(Math.round((rate * gap) / 1000)).fill(0));
  }
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((s, i) => data.writeInt16LE(Math.round(s * 32767), i * 2));
  const header = Buffer.alloc(44);
  header.write('RIFF', 0);
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8);
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36);
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const sounds: Record<string, { tones: Tone[]; level: number }> = {
  ok: { tones: [{ hz: 1760, ms: 90 }], level: 0.7 },
  duplicate: {
    tones: [
      { hz: 880, ms: 70 },
      { hz: 880, ms: 70 },
    ],
    level: 0.5,
  },
  error: { tones: [{ hz: 220, ms: 600, wave: 'square' }], level: 0.6 },
  parent: {
    tones: [
      { hz: 988, ms: 90 },
      { hz: 1319, ms: 120 },
    ],
    level: 0.7,
  },
  'parent-full': {
    tones: [
      { hz: 1047, ms: 110 },
      { hz: 1319, ms: 110 },
      { hz: 1568, ms: 220 },
    ],
    level: 0.7,
  },
  'bill-full': {
    tones: [
      { hz: 784, ms: 150 },
      { hz: 622, ms: 150 },
      { hz: 466, ms: 300, wave: 'square' },
    ],
    level: 0.6,
  },
  undo: {
    tones: [
      { hz: 1319, ms: 90 },
      { hz: 880, ms: 140 },
    ],
    level: 0.7,
  },
  reopened: {
    tones: [
      { hz: 988, ms: 80 },
      { hz: 1319, ms: 80 },
      { hz: 988, ms: 120 },
    ],
    level: 0.7,
  },
  complete: { tones: [{ hz: 1175, ms: 320 }], level: 0.6 },
  double: { tones: [{ hz: 587, ms: 50 }], level: 0.4 },
  weight: {
    tones: [
      { hz: 523, ms: 140, gap: 10, wave: 'square' },
      { hz: 784, ms: 140, gap: 10, wave: 'square' },
      { hz: 523, ms: 140, gap: 10, wave: 'square' },
      { hz: 784, ms: 140, wave: 'square' },
    ],
    level: 0.55,
  },
};

for (const [name, { tones, level }] of Object.entries(sounds)) {
  writeFileSync(fileURLToPath(new URL(`./${name}.wav`, import.meta.url)), render(tones, level));
}

/**
 * Draws the app icon as PNGs into resources/icons (NxN.png, the layout electron-builder reads for Linux; the
 * 256 px one is also the Windows icon). No network and no image library: pixels, zlib and a CRC.
 * Run: `npx tsx scripts/draw-icons.ts`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const iconSizes = [16, 32, 48, 64, 128, 256, 512];

type Rgba = [number, number, number, number];
const background: Rgba = [16, 20, 24, 255];
const amber: Rgba = [255, 176, 0, 255];
const white: Rgba = [244, 246, 248, 255];
const clear: Rgba = [0, 0, 0, 0];

/** The icon at unit coordinates: a dark rounded square, an amber bag, a barcode across it. */
function colourAt(x: number, y: number): Rgba {
  const r = 0.18;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  if (dx * dx + dy * dy > r * r) return clear;
  const inBag = x > 0.22 && x < 0.78 && y > 0.3 && y < 0.84;
  const inNeck = x > 0.36 && x < 0.64 && y > 0.16 && y <= 0.3;
  if (!inBag && !inNeck) return background;
  if (inBag && y > 0.44 && y < 0.74 && x > 0.3 && x < 0.7) {
    const bars = [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0];
    const bar = bars[Math.floor(((x - 0.3) / 0.4) * bars.length)] ?? 0;
    return bar ? background : white;
  }
  return amber;
}

/** Four samples per pixel so small sizes keep soft edges. */
function pixels(size: number): Buffer {
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1);
    rows[row] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (const [sx, sy] of [
        [0.25, 0.25],
        [0.75, 0.25],
        [0.25, 0.75],
        [0.75, 0.75],
      ] as const) {
        const c = colourAt((x + sx) / size, (y + sy) / size);
        for (let i = 0; i < 4; i++) sum[i]! += c[i]!;
      }
      for (let i = 0; i < 4; i++) rows[row + 1 + x * 4 + i] = Math.round(sum[i]! / 4);
    }
  }
  return rows;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function drawIcon(size: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels(size), { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = fileURLToPath(new URL('../resources/icons/', import.meta.url));
  mkdirSync(out, { recursive: true });
  for (const size of iconSizes) writeFileSync(`${out}${size}x${size}.png`, drawIcon(size));
  console.log(`Drew ${iconSizes.length} icons in ${out}`);
}

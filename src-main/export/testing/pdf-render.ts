/**
 * Test support: poppler's pdftotext and pdftoppm, as a person's PDF viewer would read and show an export
 * (.ci/run installs poppler-utils). Artifacts land in test-results/exports/ for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const artifactDir = fileURLToPath(new URL('../../../test-results/exports/', import.meta.url));

function tool(name: string): string {
  const path = `/usr/bin/${name}`;
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: install poppler-utils (apt-get install poppler-utils), as .ci/run does`,
    );
  }
  return path;
}

/** Saves the PDF as an artifact and returns its path. */
export function savePdf(name: string, bytes: Buffer): string {
  mkdirSync(artifactDir, { recursive: true });
  const path = `${artifactDir}${name}`;
  writeFileSync(path, bytes);
  return path;
}

/** The text layer, in reading order (no layout). */
export function pdfText(path: string): string {
  return execFileSync(tool('pdftotext'), ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' });
}

export function pdfPages(path: string): number {
  const info = execFileSync(tool('pdfinfo'), [path], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)?.[1] ?? 0);
}

/** The fonts the PDF uses, as `name emb` pairs from pdffonts. */
export function pdfFonts(path: string): { name: string; embedded: boolean }[] {
  const lines = execFileSync(tool('pdffonts'), [path], { encoding: 'utf8' }).split('\n').slice(2);
  return lines
    .filter((l) => l.trim())
    .map((l) => {
      const cols = l.trim().split(/\s+/);
      return { name: cols[0] ?? '', embedded: cols[cols.length - 5] === 'yes' };
    });
}

/** One page of the PDF as an image file next to it (PNG, or 8-bit grey PGM); returns the file's path. */
function pdftoppm(path: string, page: number, dpi: number, as: 'png' | 'gray'): string {
  const prefix = path.replace(/\.pdf$/, `-${as === 'png' ? 'p' : 'g'}${page}`);
  const range = ['-r', String(dpi), '-f', String(page), '-l', String(page), '-singlefile'];
  execFileSync(tool('pdftoppm'), [`-${as}`, ...range, path, prefix]);
  return `${prefix}.${as === 'png' ? 'png' : 'pgm'}`;
}

/** Renders page `page` to a PNG next to the PDF; returns the PNG's bytes. */
export function renderPage(path: string, page = 1, dpi = 60): Buffer {
  return readFileSync(pdftoppm(path, page, dpi, 'png'));
}

/** Page `page` as grey pixels (0 black .. 255 white) at dpi: to check that ink is where it belongs. */
export function grayPage(
  path: string,
  page = 1,
  dpi = 36,
): { width: number; height: number; at(x: number, y: number): number } {
  const pgm = readFileSync(pdftoppm(path, page, dpi, 'gray'));
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(pgm.subarray(0, 40).toString('latin1'));
  if (!header) throw new Error('pdftoppm wrote no 8-bit PGM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const offset = header[0].length;
  return { width, height, at: (x, y) => pgm[offset + y * width + x] ?? 255 };
}

/** The share of dark pixels in a box given in PDF points (1/72 inch) from the top left. */
export function inkIn(
  page: ReturnType<typeof grayPage>,
  dpi: number,
  box: { x: number; y: number; w: number; h: number },
): number {
  const k = dpi / 72;
  let dark = 0;
  let all = 0;
  for (let y = Math.floor(box.y * k); y < Math.min(page.height, (box.y + box.h) * k); y++) {
    for (let x = Math.floor(box.x * k); x < Math.min(page.width, (box.x + box.w) * k); x++) {
      all++;
      if (page.at(x, y) < 128) dark++;
    }
  }
  return all ? dark / all : 0;
}

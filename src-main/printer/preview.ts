import { createRequire } from 'node:module';
import type { ZplApi } from 'zpl-renderer-js';
import type * as ZplRenderer from 'zpl-renderer-js';
import type { LabelFormat, LabelLayout, ParentLabel, PrinterDpi } from './label.ts';
import { buildLabelZpl, LABEL_SIZE_MM } from './label.ts';
import type { PrinterResult } from './messages.ts';

let api: Promise<ZplApi> | undefined;

/** The renderer is a WebAssembly build of about 8 MB: loaded on the first preview, not at station start. */
function renderer(): Promise<ZplApi> {
  // Loaded by Node itself (its CommonJS build), not through a bundler or vitest's transform of an 8 MB file.
  const load = createRequire(import.meta.url);
  api ??= (load('zpl-renderer-js') as typeof ZplRenderer).ready.then((ready) => ready.api);
  return api;
}

/** PNG bytes of a ZPL label as the printer would print it: the screens' print preview and the printer tests. */
export async function renderLabelPng(zpl: string, layout: LabelLayout, dpi: PrinterDpi): Promise<Buffer> {
  const { widthMm, heightMm } = LABEL_SIZE_MM[layout];
  const base64 = await (await renderer()).zplToBase64Async(zpl, widthMm, heightMm, dpi === 300 ? 12 : 8);
  return Buffer.from(base64, 'base64');
}

/** The print preview of a parent's label before (or without) printing it: the exact ZPL a job would send. */
export async function previewLabelPng(
  label: ParentLabel,
  format: LabelFormat,
): Promise<PrinterResult<Buffer>> {
  const zpl = buildLabelZpl(label, format);
  if (!zpl.ok) return zpl;
  return { ok: true, value: await renderLabelPng(zpl.value, format.layout, format.dpi) };
}

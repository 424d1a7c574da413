import { describe, expect, it } from 'vitest';
import type { LabelLayout, ParentLabel, PrinterDpi } from './label.ts';
import { buildLabelZpl } from './label.ts';
import { previewLabelPng, renderLabelPng } from './preview.ts';
import { decodeBarcodes } from './testing/decode-barcodes.ts';

const label: ParentLabel = {
  parentCode: 'PB-00012345',
  childCount: 30,
  weightKg: 29.4,
  weightEstimated: false,
  station: 'Dock 3',
  operator: 'Asha Verma',
  at: Date.UTC(2026, 11, 3, 9, 5),
  billNumber: 'B-2026/77',
};

function zplOf(result: ReturnType<typeof buildLabelZpl>): string {
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

// Rendering loads an 8 MB WebAssembly renderer once; a large label at 300 dpi takes a few seconds on CI.
const RENDER = { timeout: 60_000 };

describe('parent label ZPL', () => {
  const cases: Array<[LabelLayout, PrinterDpi, number, number]> = [
    ['100x150mm', 203, 799, 1199],
    ['100x150mm', 300, 1181, 1772],
    ['4x2in', 203, 812, 406],
    ['4x2in', 300, 1200, 600],
  ];
  it.each(cases)(
    '%s at %i dpi: both barcodes read back as the parent code',
    RENDER,
    async (layout, dpi, w, h) => {
      const zpl = zplOf(buildLabelZpl(label, { layout, dpi, timeZone: 'Asia/Kolkata' }));
      expect(zpl.startsWith('^XA\n^CI28\n')).toBe(true);
      expect(zpl).toContain(`^PW${w}\n^LL${h}\n`);
      expect(zpl.trimEnd().endsWith('^PQ1\n^XZ')).toBe(true);
      // Every line of the label, in the station's zone.
      for (const text of [
        '30 bags',
        '29.40 kg',
        'Bill: B-2026/77',
        'Station: Dock 3',
        'Operator: Asha Verma',
      ]) {
        expect(zpl).toContain(text);
      }
      expect(zpl).toContain('2026-12-03 14:35');
      const found = await decodeBarcodes(await renderLabelPng(zpl, layout, dpi));
      expect(found).toEqual({ code128: [label.parentCode], qr: [label.parentCode] });
    },
  );

  it("carries ZPL's own characters ^ ~ > _ in a code through both barcodes", RENDER, async () => {
    const parentCode = 'P^1~2>3_4';
    const zpl = zplOf(buildLabelZpl({ ...label, parentCode }, { layout: '4x2in', dpi: 203 }));
    // No raw ^ or ~ inside any field data: each would start a command.
    for (const field of zpl.match(/\^FD[^^]*/g) ?? []) expect(field.slice(3)).not.toMatch(/[~]/);
    expect(zpl).toContain('^FD>:P><1>=2>03_4^FS');
    const found = await decodeBarcodes(await renderLabelPng(zpl, '4x2in', 203));
    expect(found).toEqual({ code128: [parentCode], qr: [parentCode] });
  });

  it('previews a label as PNG bytes, or says why there is no label', RENDER, async () => {
    const preview = await previewLabelPng(label, { layout: '4x2in', dpi: 203 });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value.subarray(0, 8)).toEqual(
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    );
    expect(await decodeBarcodes(preview.value)).toEqual({
      code128: [label.parentCode],
      qr: [label.parentCode],
    });
    const refused = await previewLabelPng({ ...label, parentCode: 'PB-é' }, { layout: '4x2in', dpi: 203 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'label_code_not_ascii' } });
  });

  it('says when the weight is estimated, missing, and when there is no bill yet', () => {
    const estimated = zplOf(
      buildLabelZpl({ ...label, weightEstimated: true }, { layout: '4x2in', dpi: 203 }),
    );
    expect(estimated).toContain('30 bags, 29.40 kg (estimated)');
    const none = zplOf(
      buildLabelZpl({ ...label, weightKg: null, billNumber: null }, { layout: '100x150mm', dpi: 203 }),
    );
    expect(none).toContain('not weighed');
    expect(none).toContain('Bill: none yet');
  });

  it('writes names outside ASCII as UTF-8 hex after ^FH', () => {
    const zpl = zplOf(buildLabelZpl({ ...label, operator: 'आशा' }, { layout: '4x2in', dpi: 203 }));
    expect(zpl).toContain('^FH^FDOperator: _E0_A4_86_E0_A4_B6_E0_A4_BE^FS');
  });

  it('refuses a code a barcode cannot carry, with a typed code', () => {
    const notAscii = buildLabelZpl({ ...label, parentCode: 'PB-é1' }, { layout: '4x2in', dpi: 203 });
    expect(notAscii).toMatchObject({
      ok: false,
      error: { code: 'label_code_not_ascii', params: { char: 'é' } },
    });
    expect(buildLabelZpl({ ...label, parentCode: 'P'.repeat(25) }, { layout: '4x2in', dpi: 203 }).ok).toBe(
      true,
    );
  });

  it.each(['4x2in', '100x150mm'] as const)(
    'a long numeric code on %s: a Code 128 with its digits packed (automatic mode) reads back as the code',
    RENDER,
    async (layout) => {
      const parentCode = `SB${'1'.repeat(34)}`; // 36 characters: too wide for subset B on 4 x 2 in
      const zpl = zplOf(buildLabelZpl({ ...label, parentCode }, { layout, dpi: 203 }));
      const found = await decodeBarcodes(await renderLabelPng(zpl, layout, 203));
      expect(found).toEqual({ code128: [parentCode], qr: [parentCode] });
    },
  );

  it(
    'a code no Code 128 fits on the label: the QR code and the code in full as text, still a label',
    RENDER,
    async () => {
      const parentCode = 'P'.repeat(40);
      const zpl = zplOf(buildLabelZpl({ ...label, parentCode }, { layout: '4x2in', dpi: 203 }));
      expect(zpl).not.toContain('^BC');
      expect(zpl).toContain(`^FB${812 - 24 - 24},3,0,L^FH^FD${parentCode}^FS`);
      const found = await decodeBarcodes(await renderLabelPng(zpl, '4x2in', 203));
      expect(found).toEqual({ code128: [], qr: [parentCode] });
    },
  );
});

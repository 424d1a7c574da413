import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { BillDocument } from './bill-document.ts';
import {
  barcodes,
  CONTENT_WIDTH,
  ensureSpace,
  footers,
  GREY,
  newPdf,
  PAGE,
  RULE,
  table,
  type Column,
} from './pdf-layout.ts';
import type { ExportWeight } from './parent-weight.ts';
import { drawLine, drawWrapped, textWidth } from './pdf-text.ts';
import { localStamp } from '../core/local-time.ts';

// Formatters are built once: toLocaleString builds one per call, which showed in a 500-row note.
const kgFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });
const kg = (n: number) => `${kgFormat.format(n)} kg`;
const intFormat = new Intl.NumberFormat('en-IN');
const int = (n: number) => intFormat.format(n);

/** The mark beside an estimated weight; the legend under the parents explains it. */
const EST = 'est.';
const weightCell = (n: number, estimated: boolean) => (estimated ? `${kg(n)} ${EST}` : kg(n));

/** Where the weight comes from, in a word or two: the check of a weighing, or why it is estimated. */
function weighingCell(w: ExportWeight): string {
  if (w.state === 'stale') return 'stale';
  if (w.state === 'later') return 'weigh later';
  if (w.state === 'estimated') return 'not weighed';
  if (w.check === 'off') return 'OFF';
  if (w.check === 'acknowledged') return 'off, acknowledged';
  return w.check === 'ok' ? 'weighed, ok' : 'weighed';
}

const estimatedLine = (estimated: number, parents: number) =>
  estimated === 0
    ? `every parent weighed`
    : `${int(estimated)} of ${int(parents)} ${parents === 1 ? 'parent' : 'parents'} estimated (${EST})`;

/** A labelled value: small grey label above, the value below. Returns the height used. */
function fact(doc: PDFKit.PDFDocument, label: string, value: string, x: number, y: number, width: number) {
  drawLine(doc, label, x, y, { size: 7.5, color: GREY, width });
  return 12 + drawWrapped(doc, value || '—', x, y + 12, width, { size: 11 }, 3);
}

/**
 * The dispatch note a driver carries: station, bill, destination, vehicle, every parent bag with its child
 * count and weight (recorded, or marked estimated), actual against expected weight, totals, signature lines, and the bill number as QR and Code 128.
 */
export async function writeBillPdf(doc: BillDocument, out: Writable): Promise<number> {
  const b = doc.bill;
  const pdf = newPdf(`Dispatch note ${b.billNo}`, doc.station.name);
  pdf.pipe(out);
  const { qr, code128 } = await barcodes(b.billNo);
  const left = PAGE.margin;

  drawLine(pdf, 'DISPATCH NOTE · प्रेषण पत्र', left, left, { size: 18, bold: true, width: 380 });
  drawLine(pdf, `${doc.station.name} · station ${doc.station.stationId}`, left, left + 28, {
    size: 9,
    color: GREY,
    width: 400,
  });
  drawLine(pdf, `Dispatch area ${doc.station.dispatchArea}`, left, left + 41, {
    size: 9,
    color: GREY,
    width: 400,
  });
  pdf.image(qr, PAGE.width - PAGE.margin - 92, left, { width: 92, height: 92 });

  drawLine(pdf, 'BILL NO. · बिल संख्या', left, 100, { size: 8, color: GREY });
  if (b.status !== 'completed') {
    drawLine(pdf, 'OPEN: NOT COMPLETED · अधूरा', left + 120, 97, { size: 9, bold: true, color: '#b00020' });
  }
  // The bill number is never cut: a long one (up to 40 characters) is set smaller to fit beside the QR code.
  const numberWidth = 400;
  const numberSize = Math.min(24, (24 * numberWidth) / textWidth(pdf, b.billNo, { size: 24, bold: true }));
  drawLine(pdf, b.billNo, left, 111 + (24 - numberSize) / 2, { size: numberSize, bold: true });
  pdf.image(code128, left, 148, { fit: [numberWidth, 30] });

  let y = 196;
  const col = CONTENT_WIDTH / 3;
  const h1 = Math.max(
    fact(pdf, 'DESTINATION · गंतव्य', b.destination, left, y, 2 * col - 12),
    fact(pdf, 'VEHICLE · वाहन', b.vehicleNo, left + 2 * col, y, col),
  );
  y += h1 + 8;
  const h2 = Math.max(
    fact(pdf, 'CREATED', `${localStamp(b.createdAt)} · ${b.createdBy}`, left, y, col - 8),
    fact(
      pdf,
      'COMPLETED',
      b.completedAt === null ? 'not completed' : `${localStamp(b.completedAt)} · ${b.completedBy ?? ''}`,
      left + col,
      y,
      col - 8,
    ),
    fact(pdf, 'EXPORTED', `${localStamp(doc.exportedAt)} · ${doc.exportedBy}`, left + 2 * col, y, col),
  );
  y += h2 + 8;
  if (b.description) {
    drawLine(pdf, 'DESCRIPTION · विवरण', left, y, { size: 7.5, color: GREY });
    y += 12 + drawWrapped(pdf, b.description, left, y + 12, CONTENT_WIDTH, { size: 10 }, 4) + 6;
  }

  // The weights, in a box: what the bags say against what the truck was planned for.
  const boxTop = y + 4;
  pdf.rect(left, boxTop, CONTENT_WIDTH, 50).lineWidth(1).stroke('#000000');
  const cells: [string, string][] = [
    ['PARENT BAGS', `${int(b.parentCount)} / ${int(b.capacity)}`],
    ['CHILD BAGS', int(b.childCount)],
    [doc.estimatedParents > 0 ? 'ACTUAL WEIGHT · EST.' : 'ACTUAL WEIGHT', kg(doc.actualWeightKg)],
    ['EXPECTED WEIGHT', kg(doc.expectedWeightKg)],
  ];
  const cw = CONTENT_WIDTH / cells.length;
  cells.forEach(([label, value], i) => {
    const x = left + i * cw;
    if (i > 0)
      pdf
        .moveTo(x, boxTop)
        .lineTo(x, boxTop + 50)
        .lineWidth(0.5)
        .stroke(RULE);
    drawLine(pdf, label, x + 8, boxTop + 7, { size: 7.5, color: GREY, width: cw - 16 });
    drawLine(pdf, value, x + 8, boxTop + 20, { size: 15, bold: true, width: cw - 16 });
  });
  const diff = doc.actualWeightKg - doc.expectedWeightKg;
  y = boxTop + 56;
  drawLine(
    pdf,
    `Actual minus expected: ${diff > 0 ? '+' : ''}${kg(diff)} (child bag ${kg(doc.childWeightKg)}, full parent ${kg(doc.parentExpectedWeightKg)})` +
      ` · ${estimatedLine(doc.estimatedParents, doc.parents.length)}`,
    left,
    y,
    { size: 8, color: GREY, width: CONTENT_WIDTH },
  );
  y += 20;

  const columns: Column[] = [
    { title: '#', width: 28, align: 'right' },
    { title: 'Parent bag', width: 100 },
    { title: 'Children', width: 48, align: 'right' },
    { title: 'Weight', width: 80, align: 'right' },
    { title: 'Weighing', width: 87 },
    { title: 'Added at', width: 100 },
    { title: 'Added by', width: CONTENT_WIDTH - 443 },
  ];
  let children = 0;
  const estimated = doc.estimatedParents > 0;
  function* rows() {
    let i = 0;
    for (const p of doc.parents) {
      children += p.childCount;
      yield {
        cells: [
          String(++i),
          p.code,
          int(p.childCount),
          weightCell(p.weight.kg, p.weight.estimated),
          weighingCell(p.weight),
          localStamp(p.addedAt),
          p.addedBy,
        ],
      };
    }
    yield {
      bold: true,
      cells: [
        '',
        `Total: ${int(i)} parents`,
        int(children),
        weightCell(doc.actualWeightKg, estimated),
        estimated ? `${int(doc.estimatedParents)} of ${int(i)} est.` : 'all weighed',
        '',
        '',
      ],
    };
  }
  y = table(pdf, y, columns, rows());
  if (estimated) {
    y = ensureSpace(pdf, y, 30);
    y += drawWrapped(
      pdf,
      `${EST} = estimated · अनुमानित: child bags × ${kg(doc.childWeightKg)}, for a parent not weighed, weighed and then changed (stale), or put off to weigh later. The other weights are what the scale recorded.`,
      left,
      y,
      CONTENT_WIDTH,
      { size: 8, color: GREY },
      3,
    );
  }

  // Signatures: never split from each other across a page.
  y = ensureSpace(pdf, y + 16, 110);
  const roles = ['Dispatched by (supervisor)', 'Driver · चालक', 'Received by · प्राप्तकर्ता'];
  const sw = (CONTENT_WIDTH - 2 * 20) / 3;
  roles.forEach((role, i) => {
    const x = left + i * (sw + 20);
    drawLine(pdf, role, x, y, { size: 9, bold: true, width: sw });
    ['Name', 'Signature · हस्ताक्षर', 'Date'].forEach((line, j) => {
      const ly = y + 42 + j * 26;
      pdf
        .moveTo(x, ly)
        .lineTo(x + sw, ly)
        .lineWidth(0.6)
        .stroke('#000000');
      drawLine(pdf, line, x, ly + 2, { size: 7, color: GREY, width: sw });
    });
  });

  footers(
    pdf,
    `Bill ${b.billNo} · ${doc.station.name} · exported ${localStamp(doc.exportedAt)} by ${doc.exportedBy}`,
  );
  pdf.end();
  await finished(out);
  return doc.parents.length;
}

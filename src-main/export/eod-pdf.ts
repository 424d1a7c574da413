import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { EndOfDay } from './end-of-day.ts';
import { CONTENT_WIDTH, footers, GREY, heading, newPdf, PAGE, RULE, table } from './pdf-layout.ts';
import { drawLine, drawWrapped } from './pdf-text.ts';
import { localStamp } from '../core/local-time.ts';
import { conflictKindName } from '../../src-shared/audit-text.ts';

const intFormat = new Intl.NumberFormat('en-IN');
const int = (n: number) => intFormat.format(n);
const kgFormat = new Intl.NumberFormat('en-IN', { maximumFractionDigits: 1 });
/** A bill's weight, marked "est." when any of its parents' weights is estimated (the legend says so). */
const weight = (kg: number, estimated: boolean) => `${kgFormat.format(kg)} kg${estimated ? ' est.' : ''}`;

/** The printable end-of-day summary: totals, completed bills, operators, hours, rejections, conflicts, sync. */
export async function writeEodPdf(r: EndOfDay, out: Writable): Promise<number> {
  const pdf = newPdf(`End of day ${r.day}`, r.station.name);
  pdf.pipe(out);
  const left = PAGE.margin;
  drawLine(pdf, `END OF DAY · दिन का सारांश · ${r.day}`, left, left, { size: 18, bold: true });
  drawLine(
    pdf,
    `${r.station.name} · station ${r.station.stationId} · dispatch area ${r.station.dispatchArea}`,
    left,
    left + 28,
    { size: 9, color: GREY, width: CONTENT_WIDTH },
  );
  drawLine(pdf, `Generated ${localStamp(r.generatedAt)} by ${r.generatedBy}`, left, left + 41, {
    size: 9,
    color: GREY,
  });

  const boxes: [string, string][] = [
    ['SCANS', int(r.totals.scans)],
    ['PARENTS STARTED', int(r.totals.parents)],
    ['CHILDREN', int(r.totals.children)],
    ['REJECTED', int(r.totals.rejected)],
    ['BILLS DONE', int(r.totals.billsCompleted)],
    ['CONFLICTS', r.conflicts ? int(r.conflicts.count) : 'n/a'],
  ];
  const top = 100;
  const bw = CONTENT_WIDTH / boxes.length;
  pdf.rect(left, top, CONTENT_WIDTH, 48).lineWidth(1).stroke('#000000');
  boxes.forEach(([label, value], i) => {
    const x = left + i * bw;
    if (i > 0)
      pdf
        .moveTo(x, top)
        .lineTo(x, top + 48)
        .lineWidth(0.5)
        .stroke(RULE);
    drawLine(pdf, label, x + 6, top + 6, { size: 7, color: GREY, width: bw - 12 });
    drawLine(pdf, value, x + 6, top + 19, { size: 15, bold: true, width: bw - 12 });
  });
  let y = top + 64;

  y = heading(pdf, 'Bills completed', y);
  if (r.billsCompleted.length === 0) {
    drawLine(pdf, 'No bill was completed on this day.', left, y, { size: 9, color: GREY });
    y += 20;
  } else {
    y = table(
      pdf,
      y,
      [
        { title: 'Bill', width: 85 },
        { title: 'Destination', width: 100 },
        { title: 'Vehicle', width: 65 },
        { title: 'Parents', width: 42, align: 'right' },
        { title: 'Children', width: 45, align: 'right' },
        { title: 'Weight', width: 75, align: 'right' },
        { title: 'Completed', width: 52 },
        { title: 'By', width: CONTENT_WIDTH - 464 },
      ],
      r.billsCompleted.map((b) => ({
        cells: [
          b.billNo,
          b.destination,
          b.vehicleNo,
          int(b.parentCount),
          int(b.childCount),
          weight(b.actualWeightKg, b.estimatedParents > 0),
          localStamp(b.completedAt).slice(11),
          b.completedBy,
        ],
      })),
    );
  }
  const w = r.weights;
  const weighings = [
    `Weighed on this day: ${int(w.parentsWeighed)} parents`,
    `weigh later: ${int(w.parentsWeighLater)}`,
    `weight off: ${int(w.off)} (${int(w.acknowledged)} acknowledged)`,
    `parents of these bills: ${int(w.billParentsWeighed)} weighed, ${int(w.billParentsEstimated)} estimated`,
  ].join(' · ');
  drawLine(pdf, weighings, left, y, { size: 8.5, width: CONTENT_WIDTH });
  y += 13;
  if (w.billParentsEstimated > 0) {
    y += drawWrapped(
      pdf,
      'est. = estimated · अनुमानित: some parents of the bill were not weighed, changed after weighing (stale) or put off (weigh later); their weight is child bags × the child bag weight.',
      left,
      y,
      CONTENT_WIDTH,
      { size: 7.5, color: GREY },
      2,
    );
  }

  const tallyColumns = (first: string) => [
    { title: first, width: 175 },
    { title: 'Parents started', width: 85, align: 'right' as const },
    { title: 'Children', width: 85, align: 'right' as const },
    { title: 'Rejected', width: 85, align: 'right' as const },
    { title: 'All scans', width: CONTENT_WIDTH - 430, align: 'right' as const },
  ];
  const tallyCells = (
    name: string,
    t: { parents: number; children: number; rejected: number; scans: number },
  ) => [name, int(t.parents), int(t.children), int(t.rejected), int(t.scans)];

  y = heading(pdf, 'Per operator', y + 8);
  y = table(pdf, y, tallyColumns('Operator'), [
    ...r.perOperator.map((o) => ({ cells: tallyCells(o.username, o) })),
    { bold: true, cells: tallyCells('Total', r.totals) },
  ]);

  y = heading(pdf, 'Per hour', y + 8);
  const hours = r.perHour.filter((h) => h.scans > 0);
  y = table(
    pdf,
    y,
    tallyColumns('Hour'),
    hours.map((h) => ({
      cells: tallyCells(`${String(h.hour).padStart(2, '0')}:00–${String(h.hour + 1).padStart(2, '0')}:00`, h),
    })),
  );

  y = heading(pdf, 'Rejected scans by reason', y + 8);
  y = table(
    pdf,
    y,
    [
      { title: 'Reason', width: 260 },
      { title: 'Scans', width: CONTENT_WIDTH - 260, align: 'right' },
    ],
    r.rejectedByReason.length
      ? r.rejectedByReason.map((x) => ({ cells: [x.name, int(x.count)] }))
      : [{ cells: ['none', '0'] }],
  );

  y = heading(pdf, 'Changes by supervisors and admins', y + 8);
  y = table(
    pdf,
    y,
    [
      { title: 'Time', width: 110 },
      { title: 'What happened', width: CONTENT_WIDTH - 110 },
    ],
    r.changes.length
      ? r.changes.map((c) => ({ cells: [localStamp(c.at), c.sentence] }))
      : [{ cells: ['–', 'No changes on this day.'] }],
  );

  y = heading(pdf, 'Conflicts and sync', y + 8);
  const s = r.sync;
  const lines = [
    `Conflicts on this day: ${int(r.conflicts.count)}${r.conflicts.byKind.map((k) => ` · ${conflictKindName(k.kind, 'en')} ${int(k.count)}`).join('')}` +
      ` · still open (all days): ${int(r.conflicts.open)}`,
    `Sync: ${s.state} · outbox ${int(s.outboxDepth)} waiting${s.oldestUnsentAt ? ` since ${localStamp(s.oldestUnsentAt)}` : ''}`,
    `Last successful sync: ${s.lastSuccessAt ? localStamp(s.lastSuccessAt) : 'never'}${s.lastError ? ` · last error: ${s.lastError}` : ''}`,
  ];
  for (const line of lines) {
    drawLine(pdf, line, left, y, { size: 9.5, width: CONTENT_WIDTH });
    y += 15;
  }

  footers(
    pdf,
    `End of day ${r.day} · ${r.station.name} · generated ${localStamp(r.generatedAt)} by ${r.generatedBy}`,
  );
  pdf.end();
  await finished(out);
  return r.totals.scans;
}

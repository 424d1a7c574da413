import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkState } from '../../src-shared/api.ts';
import type { PrinterState, ScaleState } from '../../src-shared/hardware.ts';
import { StateIcon, type StateShape } from '../ui/StateIcon.tsx';
import { useHardwareState } from '../weighing/use-hardware.ts';
import { kgText } from '../weighing/weight-text.ts';

const pillOf: Record<StateShape, string> = {
  ok: 'pill-good',
  bad: 'pill-bad',
  wait: 'pill-quiet',
  warn: 'pill-warn',
};

/**
 * The scale and the label printer in the header, each only when the station has one: its state in words with a
 * shape and a colour, the scale's last stable weight, the labels waiting. Kept by onHardwareState; read again
 * when the station comes back.
 */
export function HardwareChips({ link }: { link: LinkState }) {
  const hardware = useHardwareState(link);
  if (link !== 'up' || !hardware) return null;
  return (
    <>
      {hardware.scale && <ScaleChip scale={hardware.scale} />}
      {hardware.printer && <PrinterChip printer={hardware.printer} />}
    </>
  );
}

function ScaleChip({ scale }: { scale: ScaleState }) {
  const { t } = useTranslation();
  // The last settled reading stays on show while the next one moves: the number a worker can trust.
  const [stableKg, setStableKg] = useState<number | null>(null);
  const latest = scale.latest;
  useEffect(() => {
    if (latest?.kind === 'stable' && latest.kg !== null) setStableKg(latest.kg);
  }, [latest]);
  const shape: StateShape = scale.state === 'ready' ? 'ok' : scale.state === 'lost' ? 'bad' : 'wait';
  return (
    <span
      className={`pill chip-state ${pillOf[shape]}`}
      data-testid="scale-chip"
      data-state={scale.state}
      title={scale.problem ?? undefined}
    >
      <StateIcon shape={shape} />
      {t(`hardware.scale.${scale.state}`)}
      {scale.state === 'ready' && stableKg !== null && ` · ${kgText(stableKg)} kg`}
    </span>
  );
}

function printerShape(printer: PrinterState): StateShape {
  if (printer.state === 'ready') return 'ok';
  if (printer.state === 'unknown') return 'wait';
  if (printer.state === 'silent') return 'warn';
  return 'bad';
}

function PrinterChip({ printer }: { printer: PrinterState }) {
  const { t } = useTranslation();
  const shape = printerShape(printer);
  const waiting = printer.queue.pending + printer.queue.sending;
  // Labels the printer never confirmed stay named once it answers again, so someone checks they came out. The
  // station's count is cumulative over every printer it had: counted here from when this page first saw this
  // printer, so a new printer does not start out alarming (a reload starts the count again). A silent printer's
  // own words already say "sent, unconfirmed": no count added there.
  const total = printer.queue.sent_unconfirmed;
  const [base, setBase] = useState({ target: printer.target, count: total });
  if (base.target !== printer.target) setBase({ target: printer.target, count: total });
  const since = base.target === printer.target ? Math.max(0, total - base.count) : 0;
  const unconfirmed = printer.state === 'silent' ? 0 : since;
  const words =
    printer.state === 'problem' && printer.problems.length > 0
      ? printer.problems.map((p) => t(`hardware.problems.${p}`, { defaultValue: p })).join(', ')
      : t(`hardware.printer.${printer.state}`);
  return (
    <span
      className={`pill chip-state ${pillOf[shape]}`}
      data-testid="printer-chip"
      data-state={printer.state}
      title={printer.error ?? undefined}
    >
      <StateIcon shape={shape} />
      {words}
      {waiting > 0 && ` · ${t('hardware.waiting', { count: waiting })}`}
      {printer.queue.failed > 0 && ` · ${t('hardware.failed', { count: printer.queue.failed })}`}
      {unconfirmed > 0 && ` · ${t('hardware.unconfirmed', { count: unconfirmed })}`}
    </span>
  );
}

import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ActiveParent, Role, ScanRecord, ScanResult } from '../../src-shared/domain.ts';
import { hasRole, useClient, useEvent } from '../app/station-context.tsx';
import { useScanText } from '../app/scan-text.ts';
import { ProgressRing } from '../scan/ProgressRing.tsx';
import { commandOf, type Command } from '../../src-shared/commands.ts';
import { formatTime } from '../ui/ui.tsx';
import { ChildrenList } from './ChildrenList.tsx';
import { TypedEntry } from './TypedEntry.tsx';
import { useWeighing } from '../weighing/use-weighing.ts';
import { WeighingPanel } from '../weighing/WeighingPanel.tsx';

type ReadKind = 'ok' | 'parent' | 'full' | 'duplicate' | 'error' | 'command';

interface Read {
  id: string;
  at: number;
  code: string;
  kind: ReadKind;
  text: string;
  typed: boolean;
}

const kindOfRecord = (r: ScanRecord): ReadKind =>
  r.outcome === 'command'
    ? 'command'
    : r.action === 'rejected'
      ? 'error'
      : r.action === 'parent'
        ? r.outcome === 'parent_full'
          ? 'full'
          : 'parent'
        : r.action === 'ignored' || r.outcome === 'already_linked'
          ? 'duplicate'
          : r.outcome === 'parent_full'
            ? 'full'
            : 'ok';

const kindOfResult: Record<ScanResult['outcome'], ReadKind> = {
  linked: 'ok',
  parent_active: 'parent',
  parent_reopened: 'parent',
  parent_full: 'full',
  already_linked: 'duplicate',
  double_read: 'duplicate',
  rejected: 'error',
  command: 'command',
};

/** How often, at most, a link changed elsewhere makes the screen read the station again. */
const RELOAD_MS = 200;

interface Props {
  role?: Role;
  /** Bumped by the shell after undo or complete: read the station again. */
  changes: number;
  /** Resolves once the command has run (and its hold is over): Undo and Complete stay disabled till then. */
  onCommand: (command: Command) => Promise<void>;
}

/**
 * The dock worker's screen: the active parent and its count at headline size, the next step in words, Undo and
 * Complete at the top (never below the fold), the parent's children, a field for a damaged label, and this
 * operator's last reads.
 */
export function ScanScreen({ role, changes, onCommand }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  // Here a parent read starts the link flow: a bill screen that closed unheard (its tab shut) keeps no reads.
  useEffect(() => {
    if (hasRole(role, 'supervisor')) void client.call('bills.takeReads', { billNo: null });
  }, [client, role]);
  const scanText = useScanText();
  // The parent just completed, on its way to the scale (or weighed): shown at the top beside the active parent.
  const weighing = useWeighing();
  const [parent, setParent] = useState<ActiveParent | null>(null);
  const [children, setChildren] = useState<string[]>([]);
  const [reads, setReads] = useState<Read[]>([]);
  const loads = useRef(0);
  const parentCode = parent?.code ?? null;
  // A double click undoes one bag: the buttons are disabled while a change runs.
  const [busy, setBusy] = useState(false);
  const change = (command: Command) => {
    if (busy) return;
    setBusy(true);
    void onCommand(command).finally(() => setBusy(false));
  };

  const commandText = useCallback((code: string) => t(`floor.command.${commandOf(code) ?? 'ack'}`), [t]);

  // Reads that overlap during a burst: only the newest answer is shown.
  const load = useCallback(async () => {
    const mine = ++loads.current;
    const answer = await client.call('scan.state', { limit: 10, mine: true });
    if (!answer.ok || mine !== loads.current) return;
    setParent(answer.value.activeParent);
    setChildren(answer.value.children);
    setReads(
      answer.value.recent.map((r) => {
        const kind = kindOfRecord(r);
        const text =
          kind === 'command'
            ? commandText(r.code)
            : [t(`actions.${r.action}`, { defaultValue: r.action }), r.parentCode]
                .filter(Boolean)
                .join(' · ');
        return { id: r.id, at: r.at, code: r.code || r.raw, kind, text, typed: r.scanner === 'typed' };
      }),
    );
  }, [client, t, commandText]);

  useEffect(() => {
    void load();
  }, [load, changes]);

  // A link changed elsewhere (another tab, the API, a scanner's command, a sync pull): read again, at most every
  // 200 ms. Scans themselves are applied from onScanResult above, so the scan path reads nothing more.
  const relink = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => clearTimeout(relink.current ?? undefined), []);
  useEvent('onLinksChanged', () => {
    if (relink.current) return;
    relink.current = setTimeout(() => {
      relink.current = null;
      void load();
    }, RELOAD_MS);
  });

  useEvent('onScanResult', (result) => {
    const code = result.code || result.raw;
    const kind = kindOfResult[result.outcome];
    const text = kind === 'command' ? commandText(code) : scanText(result);
    const read = { id: result.scanId, at: result.at, code, kind, text, typed: result.scanner === 'typed' };
    setReads((list) => [read, ...list].slice(0, 10));
    if (result.activeParent) setParent(result.activeParent);
    // A child into the parent on show is appended here; only a parent change reads the station again.
    const intoShown =
      result.outcome === 'linked' || (result.outcome === 'parent_full' && code !== parentCode);
    if (intoShown && result.activeParent?.code === parentCode) setChildren((list) => [...list, code]);
    else if (kind === 'parent' || kind === 'full' || intoShown) void load();
  });

  const full = !!parent && parent.childCount >= parent.capacity;
  const nextStep = !parent
    ? t('scan.startHint')
    : full
      ? t('floor.nextParent')
      : t('floor.nextChild', { next: parent.childCount + 1, capacity: parent.capacity });
  return (
    <main className="scan">
      <section
        className={`scan-parent${full ? ' scan-parent-full' : ''}`}
        aria-labelledby="active-parent-label"
      >
        <div className="scan-top">
          <div>
            <div id="active-parent-label" className="label">
              {t('scan.activeParent')}
            </div>
            <div className="parent-code" data-testid="active-parent">
              {parent ? parent.code : t('scan.noParent')}
            </div>
          </div>
          <div className="scan-actions">
            <button
              type="button"
              className="button button-big"
              data-testid="undo"
              disabled={busy}
              onClick={() => change('undo')}
            >
              {t('scan.undo')}
            </button>
            {parent && (
              <button
                type="button"
                className="button button-big button-quiet"
                data-testid="complete-parent"
                disabled={busy}
                onClick={() => change('completeParent')}
              >
                {t('floor.completeParent')}
              </button>
            )}
          </div>
        </div>
        {parent && (
          <div className="scan-count">
            <div className="count-headline" data-testid="parent-count">
              {parent.childCount} / {parent.capacity}
            </div>
            <ProgressRing
              count={parent.childCount}
              capacity={parent.capacity}
              label={t('scan.progress', { count: parent.childCount, capacity: parent.capacity })}
            />
          </div>
        )}
        <p className={full ? 'full-banner' : 'next-step'} data-testid="next-step">
          {nextStep}
        </p>
        <TypedEntry />
      </section>
      <div className="scan-side">
        {weighing && <WeighingPanel state={weighing} />}
        {parent && <ChildrenList parent={parent.code} children={children} />}
        <section className="scan-reads" aria-labelledby="reads-title">
          <h2 id="reads-title">{t('scan.lastReads')}</h2>
          <ol className="reads" data-testid="reads">
            {reads.map((read) => (
              <li key={read.id} className={`read read-${read.kind}`}>
                <span className="read-code">
                  {read.code}
                  {read.typed && <span className="read-typed"> · {t('floor.typed')}</span>}
                </span>
                <span className="read-text">{read.text}</span>
                <span className="read-time">{formatTime(read.at)}</span>
              </li>
            ))}
            {reads.length === 0 && <li className="read read-empty">{t('scan.noReads')}</li>}
          </ol>
        </section>
      </div>
    </main>
  );
}

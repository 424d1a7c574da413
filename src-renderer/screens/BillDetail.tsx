import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillDetail } from '../../src-shared/domain.ts';
import type { Answer, ApiError, ResultOf } from '../../src-shared/api.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useFlash } from '../feedback/flash-context.ts';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, Section } from '../ui/ui.tsx';
import { ChildEdit } from './ChildEdit.tsx';
import { ExportButtons } from './ExportButtons.tsx';
import { WeightMark } from '../weighing/WeightMark.tsx';
import { kgText } from '../weighing/weight-text.ts';

/**
 * One bill: scan parents in (keyboard-wedge or serial scanner), remove one, complete (warning when under
 * capacity), reopen, export. Each parent is shown with its children; actual against expected weight.
 */
export function BillDetailView({ billNo, onBack }: { billNo: string; onBack: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const flash = useFlash();
  const [bill, setBill] = useState<BillDetail | null>(null);
  const [parent, setParent] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [editing, setEditing] = useState<{ child: string; parent: string } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [notFull, setNotFull] = useState<{ parent: string; childCount: number; capacity: number } | null>(
    null,
  );

  const load = useCallback(async () => {
    const answer = await client.call('bills.get', { billNo });
    if (answer.ok) setBill(answer.value);
    else setError(answer.error);
  }, [client, billNo]);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (run: () => Promise<Answer<unknown>>) => {
    const answer = await run();
    setError(answer.ok ? null : answer.error);
    await load();
    return answer;
  };

  /** What the station did with a parent scanned or typed here: on the bill, or a question first (not full). */
  const shown = (
    code: string,
    answer: Answer<ResultOf<'bills.scanParent'> | ResultOf<'bills.addParent'>>,
  ) => {
    setNotFull(null);
    setError(answer.ok ? null : answer.error);
    void load();
    const value = answer.ok ? answer.value : null;
    if (value && 'notFull' in value && !value.added) {
      setParent(code);
      return setNotFull(value.notFull);
    }
    flash.billAdd(code, answer.ok ? null : answer.error);
    // Keep the code to correct it only when the refusal is about that code; otherwise the next scan starts clean.
    if (answer.ok || !Object.values(answer.error.params ?? {}).includes(code)) setParent('');
  };

  /**
   * Puts a parent on the bill: the station decides (bills.scanParent), and a parent that is not full comes back
   * as a question; confirmed (the supervisor said yes), it goes on with bills.addParent.
   */
  const addParent = async (raw: string, confirmed = false) => {
    const code = raw.trim().toUpperCase();
    if (!code) return;
    setNotFull(null);
    const method = confirmed ? 'bills.addParent' : 'bills.scanParent';
    shown(code, await client.call(method, { billNo, parent: code }));
  };
  useScanTarget((code) => void addParent(code));
  // While the bill is open here (and no child is being moved, which takes the reads), the serial scanners' parent
  // reads go onto it in the station: they never become the active parent of the scan screen.
  const takesReads = bill?.status === 'open' && !editing;
  const [holding, setHolding] = useState(false);
  useEffect(() => {
    if (!takesReads) return;
    void client.call('bills.takeReads', { billNo }).then((answer) => setHolding(answer.ok));
    return () => {
      setHolding(false);
      void client.call('bills.takeReads', { billNo: null });
    };
  }, [client, billNo, takesReads]);
  useEvent('onBillRead', (read) => {
    if (read.billNo === bill?.billNo) shown(read.code, read.answer);
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void addParent(parent);
  };

  const short = bill && (bill.parentCount < bill.capacity || bill.actualWeightKg < bill.expectedWeightKg);
  const complete = async () => {
    if (short && !confirming) return setConfirming(true);
    setConfirming(false);
    await act(() => client.call('bills.complete', { billNo }));
  };

  if (!bill)
    return (
      <main className="screen">
        <ErrorLine text={error && errorText(error)} />
      </main>
    );
  const isOpen = bill.status === 'open';
  return (
    <main className="screen" data-testid="bill-detail" data-reads={holding ? 'taken' : undefined}>
      <div className="bill-head">
        <button type="button" className="button" onClick={onBack}>
          {t('common.back')}
        </button>
        <h2 className="bill-title">{t('bills.title', { billNo: bill.billNo })}</h2>
        <span className={`tag tag-${bill.status}`} data-testid="bill-status">
          {t(`billStatus.${bill.status}`)}
        </span>
      </div>
      <dl className="facts">
        <dt>{t('bills.destination')}</dt>
        <dd>{bill.destination}</dd>
        <dt>{t('bills.vehicle')}</dt>
        <dd>{bill.vehicleNo}</dd>
        <dt>{t('bills.parents')}</dt>
        <dd data-testid="bill-parents">
          {bill.parentCount}/{bill.capacity}
        </dd>
        <dt>{t('bills.weight')}</dt>
        <dd data-testid="bill-weight" data-estimated={bill.weightEstimated ? 'true' : 'false'}>
          {t('bills.weightValue', { actual: bill.actualWeightKg, expected: bill.expectedWeightKg })}
          {bill.weightEstimated && (
            <>
              {' '}
              <WeightMark state="estimated" />
            </>
          )}
          {bill.weighedParents !== undefined && (
            <span className="hint">
              {' '}
              · {t('weight.weighedParents', { count: bill.weighedParents, total: bill.parentCount })}
            </span>
          )}
        </dd>
      </dl>
      {isOpen && (
        <form className="row-form" onSubmit={submit}>
          <Field
            label={t('bills.scanParent')}
            name="parent"
            data-wedge="keep"
            autoComplete="off"
            value={parent}
            onChange={(e) => setParent(e.target.value)}
          />
          <button type="submit" className="button button-primary">
            {t('bills.addParent')}
          </button>
        </form>
      )}
      <ErrorLine text={error && errorText(error)} />
      {notFull && (
        <div className="warning" role="alert" data-testid="not-full">
          <p>
            {t('bills.notFull', {
              parent: notFull.parent,
              count: notFull.childCount,
              capacity: notFull.capacity,
              billNo: bill.billNo,
            })}
          </p>
          <button
            type="button"
            className="button button-primary"
            onClick={() => void addParent(notFull.parent, true)}
          >
            {t('bills.addAnyway', { parent: notFull.parent })}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setNotFull(null);
              setParent('');
            }}
          >
            {t('common.cancel')}
          </button>
        </div>
      )}
      {confirming && (
        <div className="warning" role="alert" data-testid="complete-short">
          <p>
            {t('bills.short', {
              count: bill.parentCount,
              capacity: bill.capacity,
              actual: bill.actualWeightKg,
              expected: bill.expectedWeightKg,
            })}
          </p>
          <button type="button" className="button button-primary" onClick={() => void complete()}>
            {t('bills.completeAnyway')}
          </button>
          <button type="button" className="button" onClick={() => setConfirming(false)}>
            {t('common.cancel')}
          </button>
        </div>
      )}
      <div className="actions">
        {isOpen ? (
          <button
            type="button"
            className="button button-primary"
            data-testid="complete-bill"
            onClick={() => void complete()}
          >
            {t('bills.complete')}
          </button>
        ) : (
          <button
            type="button"
            className="button"
            onClick={() => void act(() => client.call('bills.reopen', { billNo }))}
          >
            {t('bills.reopen')}
          </button>
        )}
        <ExportButtons kind="bill" billNo={bill.billNo} />
      </div>
      {done && (
        <p className="notice" role="status" data-testid="bill-done">
          {done}
        </p>
      )}
      <Section title={t('bills.parentList')}>
        <ul className="parents">
          {bill.parents.map((p) => (
            <li key={p.code} className="parent-row">
              <div className="parent-row-head">
                <span className="story-code">{p.code}</span>
                <span className="tag">{t('lookup.children', { count: p.childCount })}</span>
                {p.weight && (
                  <span
                    className="parent-weight"
                    data-testid="bill-parent-weight"
                    data-state={p.weight.state}
                  >
                    {p.weight.kg !== null && p.weight.state !== 'later' && `${kgText(p.weight.kg)} kg `}
                    <WeightMark state={p.weight.state} />
                  </span>
                )}
                {isOpen && (
                  <button
                    type="button"
                    className="button button-quiet"
                    onClick={() =>
                      void act(() => client.call('bills.removeParent', { billNo, parent: p.code }))
                    }
                  >
                    {t('bills.remove', { parent: p.code })}
                  </button>
                )}
              </div>
              {isOpen ? (
                <ul className="chips" aria-label={t('childEdit.pick')}>
                  {p.children.map((c) => (
                    <li key={c}>
                      <button
                        type="button"
                        className={`chip${editing?.child === c ? ' chip-on' : ''}`}
                        aria-pressed={editing?.child === c}
                        onClick={() => {
                          setDone(null);
                          setEditing({ child: c, parent: p.code });
                        }}
                      >
                        {c}
                      </button>
                    </li>
                  ))}
                </ul>
              ) : (
                <div className="child-codes">{p.children.join(' · ')}</div>
              )}
              {editing?.parent === p.code && (
                <ChildEdit
                  key={editing.child}
                  child={editing.child}
                  fromParent={p.code}
                  onCancel={() => setEditing(null)}
                  onDone={(_change, sentence) => {
                    setEditing(null);
                    setDone(sentence);
                    void load();
                  }}
                />
              )}
            </li>
          ))}
          {bill.parents.length === 0 && <li>{t('bills.noParents')}</li>}
        </ul>
      </Section>
    </main>
  );
}

import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { LinkChange } from '../../src-shared/domain.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { useClient, useEvent } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field } from '../ui/ui.tsx';

const quickReasons = ['wrongParent', 'damaged', 'recount'] as const;

/**
 * A supervisor moves a child into another parent, or takes it out, from the look-up and bill screens. A reason is
 * required (the station refuses without one) and kept in the audit trail; each button says what it will do to
 * which bag. While open, a scan fills the parent to move to.
 */
export function ChildEdit({
  child,
  fromParent,
  onDone,
  onCancel,
}: {
  child: string;
  fromParent: string;
  onDone: (change: LinkChange, sentence: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [toParent, setToParent] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<ApiError | null>(null);
  useScanTarget((code) => setToParent(code));
  // A serial scanner's parent read goes through the link flow; here it also names the parent to move to.
  useEvent('onScanResult', (result) => {
    if (result.outcome === 'parent_active') setToParent(result.code);
  });

  const move = async (event: FormEvent) => {
    event.preventDefault();
    const to = toParent.trim().toUpperCase();
    const answer = await client.call('links.move', { child, toParent: to, reason });
    setError(answer.ok ? null : answer.error);
    if (answer.ok)
      onDone(answer.value, t('childEdit.moved', { child, from: fromParent, to: answer.value.toParent }));
  };
  const remove = async () => {
    const answer = await client.call('links.remove', { child, reason });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) onDone(answer.value, t('childEdit.removed', { child, from: fromParent }));
  };
  const target = toParent.trim().toUpperCase();

  return (
    <form className="child-edit" data-testid="child-edit" onSubmit={(e) => void move(e)}>
      <h3>{t('childEdit.title', { child, parent: fromParent })}</h3>
      <Field
        label={t('childEdit.reason')}
        name="reason"
        autoComplete="off"
        maxLength={200}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="suggest">
        <span>{t('childEdit.quick')}</span>
        {quickReasons.map((r) => (
          <button
            key={r}
            type="button"
            className="chip chip-text"
            onClick={() => setReason(t(`childEdit.reasons.${r}`))}
          >
            {t(`childEdit.reasons.${r}`)}
          </button>
        ))}
      </div>
      <div className="row-form">
        <Field
          label={t('childEdit.toParent')}
          name="toParent"
          data-wedge="keep"
          autoComplete="off"
          value={toParent}
          onChange={(e) => setToParent(e.target.value)}
        />
        <button type="submit" className="button button-primary" disabled={!target} data-testid="move-child">
          {target ? t('childEdit.moveTo', { child, to: target }) : t('childEdit.moveNoTarget')}
        </button>
      </div>
      <ErrorLine text={error && errorText(error)} />
      <div className="actions">
        <button
          type="button"
          className="button button-danger"
          data-testid="remove-child"
          onClick={() => void remove()}
        >
          {t('childEdit.removeFrom', { child, parent: fromParent })}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

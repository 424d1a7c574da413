import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Flash } from './feedback.ts';
import { FlashIcon } from './FlashIcon.tsx';
import { useWeightGapText } from '../weighing/weight-text.ts';

interface Props {
  flash: Flash | null;
  visible: boolean;
  /** Errors that came in while this one was shown: they wait their turn, none is hidden unseen. */
  waiting: number;
  onAcknowledge: () => void;
  /** For a flash only a supervisor clears (flash.ack): what takes the place of the tap-to-continue button. */
  supervisorAck?: ReactNode;
}

/**
 * The full-screen colour flash. data-painted-at is the page time of the first frame that shows this flash,
 * read by the flash bench; data-scan-id says which read it answers.
 */
export function FlashLayer({ flash, visible, waiting, onAcknowledge, supervisorAck }: Props) {
  const { t } = useTranslation();
  const gapText = useWeightGapText();
  const ref = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || !flash) return;
    element.dataset.paintedAt = '';
    const frame = requestAnimationFrame(() => {
      setTimeout(() => (element.dataset.paintedAt = String(performance.timeOrigin + performance.now())), 0);
    });
    return () => cancelAnimationFrame(frame);
  }, [flash]);

  useEffect(() => {
    if (flash?.sticky && visible) button.current?.focus();
  }, [flash, visible]);

  if (!flash) return null;
  const anyoneClears = flash.sticky && !flash.ack;
  // A weighing's sentence follows the language switch while the flash is up.
  const message = flash.weight ? gapText(flash.weight) : flash.message;
  return (
    <div
      ref={ref}
      className={`flash flash-${flash.kind}${visible ? ' flash-visible' : ''}`}
      data-testid="flash"
      data-kind={flash.kind}
      data-icon={flash.icon}
      data-sound={flash.sound}
      data-scan-id={flash.id}
      data-shown={visible ? 'true' : 'false'}
      role={flash.sticky ? 'alertdialog' : 'status'}
      aria-live="assertive"
      aria-label={t(flash.title)}
      aria-hidden={!visible}
      onClick={anyoneClears ? onAcknowledge : undefined}
    >
      <div className="flash-head">
        <FlashIcon icon={flash.icon} />
        <div className="flash-title">{t(flash.title)}</div>
      </div>
      {flash.count && (
        <div className="flash-count" data-testid="flash-count">
          {flash.count.count} / {flash.count.capacity}
        </div>
      )}
      {flash.code && <div className="flash-code">{flash.code}</div>}
      {message && <div className="flash-message">{message}</div>}
      {flash.ack && visible && supervisorAck}
      {anyoneClears && visible && (
        <button ref={button} type="button" className="flash-ack" onClick={onAcknowledge}>
          {t('flash.acknowledge')}
          {waiting > 0 && ` · ${t('flash.waiting', { count: waiting })}`}
        </button>
      )}
    </div>
  );
}

import { useEffect, useRef } from 'react';
import { createWedgeDetector } from './wedge.ts';

function isEditable(target: EventTarget | null): target is HTMLInputElement | HTMLTextAreaElement {
  return target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement;
}

/** Cuts a scanned code back out of a real field the scanner typed into (React sees it as a normal edit). */
function removeTyped(field: HTMLInputElement | HTMLTextAreaElement, code: string) {
  if (!field.value.endsWith(code)) return;
  const proto =
    field instanceof HTMLInputElement ? HTMLInputElement.prototype : HTMLTextAreaElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')?.set?.call(field, field.value.slice(0, -code.length));
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

/**
 * Listens to every keydown on the page. A fast read ending in Enter/Tab is a scan: the Enter is swallowed so it
 * never clicks a focused button or submits a form, and the code is taken back out of a field it landed in,
 * unless the field is marked data-wedge="keep" (a lookup or bill-number box wants the code typed in).
 */
export function useWedge(
  onScan: (code: string, keptInField: boolean) => void,
  onShort: (code: string) => void = () => {},
) {
  const latest = useRef(onScan);
  latest.current = onScan;
  const latestShort = useRef(onShort);
  latestShort.current = onShort;
  useEffect(() => {
    const detector = createWedgeDetector();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
      const verdict = detector.key({ key: event.key, at: event.timeStamp });
      if (verdict.type !== 'scan' && verdict.type !== 'short') return;
      event.preventDefault();
      event.stopPropagation();
      const target = event.target;
      if (verdict.type === 'short') {
        if (isEditable(target) && target.dataset.wedge !== 'keep') removeTyped(target, verdict.code);
        return latestShort.current(verdict.code);
      }
      const keep = isEditable(target) && target.dataset.wedge === 'keep';
      if (isEditable(target) && !keep) removeTyped(target, verdict.code);
      latest.current(verdict.code, keep);
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, []);
}

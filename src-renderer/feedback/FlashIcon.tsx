import type { FlashIcon as Icon } from './feedback.ts';

/** Simple strokes in the text colour: a shape per outcome, readable at 2 m without telling colours apart. */
const paths: Record<Icon, string> = {
  ok: 'M12 34 L26 48 L52 18',
  parent: 'M10 22 L32 10 L54 22 L54 48 L32 58 L10 48 Z M10 22 L32 34 L54 22 M32 34 L32 58',
  reopened: 'M14 32 A18 18 0 1 0 22 17 M14 10 L14 22 L26 22',
  full: 'M10 14 L54 14 L54 54 L10 54 Z M10 26 L54 26 M10 38 L54 38',
  duplicate: 'M12 24 L52 24 M12 40 L52 40',
  double: 'M10 32 A12 12 0 1 0 34 32 A12 12 0 1 0 10 32 M30 32 A12 12 0 1 0 54 32 A12 12 0 1 0 30 32',
  error: 'M16 16 L48 48 M48 16 L16 48',
  undo: 'M22 14 L10 26 L22 38 M10 26 L40 26 A14 14 0 0 1 40 54 L26 54',
  complete: 'M10 14 L54 14 L54 54 L10 54 Z M20 34 L29 43 L45 24',
  // A platform scale: the plate on its post over the base, the needle off centre.
  weight: 'M14 20 L50 20 M32 20 L32 44 M12 44 L52 44 L52 56 L12 56 Z M26 12 L38 12 M32 12 L38 20',
  offline: 'M8 20 A34 34 0 0 1 56 20 M16 30 A22 22 0 0 1 48 30 M26 40 A10 10 0 0 1 38 40 M8 8 L56 56',
};

export function FlashIcon({ icon }: { icon: Icon }) {
  return (
    <svg className="flash-icon" viewBox="0 0 64 64" aria-hidden="true" data-icon={icon}>
      <path d={paths[icon]} />
    </svg>
  );
}

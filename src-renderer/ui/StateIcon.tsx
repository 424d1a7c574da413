/** A small shape beside a state's words and colour (header chips, look-up marks): never colour alone. */
export type StateShape = 'ok' | 'bad' | 'wait' | 'warn';

const paths: Record<StateShape, string> = {
  ok: 'M12 34 L26 48 L52 18',
  bad: 'M16 16 L48 48 M48 16 L16 48',
  wait: 'M32 8 A24 24 0 1 0 32 56 A24 24 0 1 0 32 8 M32 18 L32 34 L44 40',
  warn: 'M32 8 L58 54 L6 54 Z M32 24 L32 38 M32 46 L32 47',
};

export function StateIcon({ shape }: { shape: StateShape }) {
  return (
    <svg className="state-icon" viewBox="0 0 64 64" aria-hidden="true" data-shape={shape}>
      <path d={paths[shape]} />
    </svg>
  );
}

import { useId } from 'react';

/** A labelled choice, the label always visible like Field's. */
export function SelectField<V extends string>({
  label,
  name,
  value,
  options,
  onChange,
}: {
  label: string;
  name: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} value={value} onChange={(e) => onChange(e.target.value as V)}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A number typed into a field: undefined when empty, so the station's default applies. */
export const numberOrUndefined = (text: string): number | undefined =>
  text.trim() === '' ? undefined : Number(text);

/** A saved number shown in a field: empty when unset. */
export const fieldText = (value: unknown): string => (typeof value === 'number' ? String(value) : '');

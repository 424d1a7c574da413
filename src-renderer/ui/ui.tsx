import type { ComponentProps, ReactNode } from 'react';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** A labelled input: the label is always visible (no placeholder-only fields at 2 m). */
export function Field({ label, ...input }: { label: string } & ComponentProps<'input'>) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} {...input} />
    </div>
  );
}

export function ErrorLine({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <p className="error-line" role="alert">
      {text}
    </p>
  );
}

/** A screen whose method another part of the station has not shipped yet. */
export function NotAvailable() {
  const { t } = useTranslation();
  return <p className="notice">{t('common.notAvailable')}</p>;
}

export function Section({
  title,
  children,
  actions,
}: {
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="section">
      <div className="section-head">
        <h2>{title}</h2>
        {actions && <div className="section-actions">{actions}</div>}
      </div>
      {children}
    </section>
  );
}

// Numbers only (24-hour time, year-month-day): the same in English and Hindi, no month names to translate.
const two = (n: number) => String(n).padStart(2, '0');

export function formatTime(at: number | null | undefined): string {
  if (!at) return '–';
  const d = new Date(at);
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

export function formatDateTime(at: number | null | undefined): string {
  if (!at) return '–';
  const d = new Date(at);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** Date and time to the second, local: for the audit trail and conflicts. */
export function formatStamp(at: number | null | undefined): string {
  if (!at) return '–';
  return `${formatDateTime(at)}:${two(new Date(at).getSeconds())}`;
}

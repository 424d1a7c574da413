import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRow } from '../../src-main/core/audit-service.ts';
import { loadedOf, useClient, type Loaded } from '../app/station-context.tsx';
import { Field, formatDateTime, NotAvailable, Section } from '../ui/ui.tsx';

const pageSize = 50;
/** Before/after as `field: value` lines, ids cut short: readable at a glance, the full row stays in the database. */
function brief(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value !== 'object') return String(value);
  return Object.entries(value as Record<string, unknown>)
    .filter(([key, v]) => key !== 'id' && v !== null && v !== '' && typeof v !== 'object')
    .map(([key, v]) => `${key}: ${String(v)}`)
    .join(', ')
    .slice(0, 200);
}
const shortId = (id: string) => (/^[0-9a-f-]{36}$/.test(id) ? `…${id.slice(-6)}` : id);

/** Who changed what, with before and after; filter by user, bill or bag code, page through. */
export function AuditScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const [user, setUser] = useState('');
  const [billNo, setBillNo] = useState('');
  const [code, setCode] = useState('');
  const [offset, setOffset] = useState(0);
  const [loaded, setLoaded] = useState<Loaded<'audit.list'>>({ state: 'loading' });

  const load = useCallback(
    async (from: number) => {
      const filter = {
        ...(user.trim() && { user: user.trim() }),
        ...(billNo.trim() && { billNo: billNo.trim() }),
        ...(code.trim() && { code: code.trim() }),
      };
      setLoaded(
        loadedOf<'audit.list'>(await client.call('audit.list', { ...filter, limit: pageSize, offset: from })),
      );
      setOffset(from);
    },
    [client, user, billNo, code],
  );
  // Filters apply when submitted, not on every key: load once at start only.
  const [first] = useState(() => load);
  useEffect(() => {
    void first(0);
  }, [first]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void load(0);
  };
  const rows: AuditRow[] = loaded.state === 'ready' ? loaded.value.rows : [];
  const total = loaded.state === 'ready' ? loaded.value.total : 0;
  return (
    <main className="screen">
      <form className="row-form" onSubmit={submit}>
        <Field label={t('audit.user')} value={user} onChange={(e) => setUser(e.target.value)} />
        <Field label={t('audit.bill')} value={billNo} onChange={(e) => setBillNo(e.target.value)} />
        <Field
          label={t('audit.code')}
          data-wedge="keep"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <button type="submit" className="button button-primary">
          {t('audit.filter')}
        </button>
      </form>
      <Section title={t('audit.title')}>
        {loaded.state === 'missing' && <NotAvailable />}
        {loaded.state === 'failed' && <p className="error-line">{loaded.message}</p>}
        {loaded.state === 'ready' && (
          <table className="table" data-testid="audit">
            <thead>
              <tr>
                <th>{t('table.time')}</th>
                <th>{t('table.user')}</th>
                <th>{t('table.action')}</th>
                <th>{t('audit.entity')}</th>
                <th>{t('audit.before')}</th>
                <th>{t('audit.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatDateTime(r.at)}</td>
                  <td>{r.username ?? '–'}</td>
                  <td>{t(`auditActions.${r.action.replace('.', '_')}`, { defaultValue: r.action })}</td>
                  <td>
                    {t(`entities.${r.entity}`, { defaultValue: r.entity })} {shortId(r.entityId)}
                  </td>
                  <td className="mono">{brief(r.before)}</td>
                  <td className="mono">{brief(r.after)}</td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={6}>{t('audit.none')}</td>
                </tr>
              )}
            </tbody>
          </table>
        )}
        <div className="actions">
          <button
            type="button"
            className="button"
            disabled={offset === 0}
            onClick={() => void load(Math.max(0, offset - pageSize))}
          >
            {t('common.previous')}
          </button>
          <button
            type="button"
            className="button"
            disabled={offset + rows.length >= total}
            onClick={() => void load(offset + pageSize)}
          >
            {t('common.next')}
          </button>
        </div>
      </Section>
    </main>
  );
}

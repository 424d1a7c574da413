import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditRow } from '../../src-shared/audit-text.ts';
import { loadedOf, useClient, type Loaded } from '../app/station-context.tsx';
import { auditSentence } from '../../src-shared/audit-text.ts';
import { Field, formatStamp, Section } from '../ui/ui.tsx';

const pageSize = 50;

/** Who changed what, as sentences in the language on show; filter by user, bill or bag code, page through. */
export function AuditScreen() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'hi' ? 'hi' : 'en';
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
        {loaded.state === 'failed' && <p className="error-line">{loaded.message}</p>}
        {loaded.state === 'ready' && (
          <table className="table" data-testid="audit">
            <thead>
              <tr>
                <th>{t('table.time')}</th>
                <th>{t('audit.what')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td className="nowrap">{formatStamp(r.at)}</td>
                  <td>{auditSentence(r, lang)}</td>
                </tr>
              ))}
              {rows.length === 0 && (
                <tr>
                  <td colSpan={2}>{t('audit.none')}</td>
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

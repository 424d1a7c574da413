import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillSummary } from '../../src-shared/domain.ts';
import type { ApiError } from '../../src-shared/api.ts';
import { MAX_BILL_CAPACITY } from '../../src-shared/limits.ts';
import { useScanTarget } from '../app/scan-target.ts';
import { useClient } from '../app/station-context.tsx';
import { useErrorText } from '../i18n/error-text.ts';
import { ErrorLine, Field, formatDateTime, Section } from '../ui/ui.tsx';
import { BillDetailView } from './BillDetail.tsx';

/** Bills: create one (bill number scanned or typed), open one to scan parents in, complete or reopen it. */
export function BillsScreen() {
  const { t } = useTranslation();
  const client = useClient();
  const [bills, setBills] = useState<BillSummary[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const [filter, setFilter] = useState<Filter>(noFilter);
  const [applied, setApplied] = useState<Filter>(noFilter);
  const [error, setError] = useState<ApiError | null>(null);
  const errorText = useErrorText();

  const load = useCallback(async () => {
    const answer = await client.call('bills.list', {
      limit: 200,
      ...(applied.search.trim() && { search: applied.search.trim() }),
      ...(applied.status && { status: applied.status }),
      ...(applied.day && { day: applied.day }),
    });
    setError(answer.ok ? null : answer.error);
    if (answer.ok) setBills(answer.value);
  }, [client, applied]);
  useEffect(() => {
    void load();
  }, [load, open]);

  if (open) return <BillDetailView billNo={open} onBack={() => setOpen(null)} />;
  const find = (event: FormEvent) => {
    event.preventDefault();
    setApplied(filter);
  };
  return (
    <main className="screen two-col list-layout">
      <CreateBill onCreated={(billNo) => setOpen(billNo)} />
      <Section title={t('bills.list')}>
        <form className="row-form filters" onSubmit={find} data-testid="bill-filters">
          <Field
            label={t('bills.search')}
            name="search"
            autoComplete="off"
            value={filter.search}
            onChange={(e) => setFilter({ ...filter, search: e.target.value })}
          />
          <div className="field">
            <label htmlFor="bill-status-filter">{t('bills.status')}</label>
            <select
              id="bill-status-filter"
              name="status"
              value={filter.status}
              onChange={(e) => setFilter({ ...filter, status: e.target.value as Filter['status'] })}
            >
              <option value="">{t('bills.statusAll')}</option>
              <option value="open">{t('billStatus.open')}</option>
              <option value="completed">{t('billStatus.completed')}</option>
            </select>
          </div>
          <Field
            label={t('bills.day')}
            name="day"
            type="date"
            value={filter.day}
            onChange={(e) => setFilter({ ...filter, day: e.target.value })}
          />
          <button type="submit" className="button button-primary">
            {t('bills.find')}
          </button>
          <button
            type="button"
            className="button"
            onClick={() => {
              setFilter(noFilter);
              setApplied(noFilter);
            }}
          >
            {t('bills.clear')}
          </button>
        </form>
        <ErrorLine text={error && errorText(error)} />
        <div className="table-wrap">
          <table className="table" data-testid="bills">
            <thead>
              <tr>
                <th>{t('bills.billNo')}</th>
                <th>{t('bills.destination')}</th>
                <th>{t('bills.vehicle')}</th>
                <th>{t('bills.parents')}</th>
                <th>{t('bills.status')}</th>
                <th>{t('bills.created')}</th>
              </tr>
            </thead>
            <tbody>
              {bills.map((b) => (
                <tr key={b.id}>
                  <td>
                    <button type="button" className="link" onClick={() => setOpen(b.billNo)}>
                      {b.billNo}
                    </button>
                  </td>
                  <td>{b.destination}</td>
                  <td>{b.vehicleNo}</td>
                  <td>
                    {b.parentCount}/{b.capacity}
                  </td>
                  <td>{t(`billStatus.${b.status}`)}</td>
                  <td className="nowrap">{formatDateTime(b.createdAt)}</td>
                </tr>
              ))}
              {bills.length === 0 && (
                <tr>
                  <td colSpan={6}>{t('bills.none')}</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      </Section>
    </main>
  );
}

interface Filter {
  search: string;
  status: '' | 'open' | 'completed';
  day: string;
}
const noFilter: Filter = { search: '', status: '', day: '' };

function CreateBill({ onCreated }: { onCreated: (billNo: string) => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const errorText = useErrorText();
  const [billNo, setBillNo] = useState('');
  const [destination, setDestination] = useState('');
  const [vehicleNo, setVehicleNo] = useState('');
  const [capacity, setCapacity] = useState('10');
  const [error, setError] = useState<ApiError | null>(null);
  useScanTarget((code) => setBillNo(code));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await client.call('bills.create', {
      billNo: billNo.trim(),
      destination,
      vehicleNo,
      capacity: Number(capacity),
    });
    if (answer.ok) onCreated(answer.value.billNo);
    else setError(answer.error);
  };

  return (
    <Section title={t('bills.create')}>
      <form className="form" onSubmit={(e) => void submit(e)} data-testid="create-bill">
        <Field
          label={t('bills.billNo')}
          name="billNo"
          data-wedge="keep"
          required
          value={billNo}
          onChange={(e) => setBillNo(e.target.value)}
        />
        <Field
          label={t('bills.destination')}
          name="destination"
          required
          value={destination}
          onChange={(e) => setDestination(e.target.value)}
        />
        <Field
          label={t('bills.vehicle')}
          name="vehicleNo"
          required
          value={vehicleNo}
          onChange={(e) => setVehicleNo(e.target.value)}
        />
        <Field
          label={t('bills.capacity')}
          name="capacity"
          type="number"
          min={1}
          max={MAX_BILL_CAPACITY}
          required
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
        <ErrorLine text={error && errorText(error)} />
        <button type="submit" className="button button-primary">
          {t('bills.createSubmit')}
        </button>
      </form>
    </Section>
  );
}

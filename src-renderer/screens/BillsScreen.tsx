import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BillSummary } from '../../src-main/core/types.ts';
import type { ApiError } from '../api/types.ts';
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

  const load = useCallback(async () => {
    const answer = await client.call('bills.list', { limit: 100 });
    if (answer.ok) setBills(answer.value);
  }, [client]);
  useEffect(() => {
    void load();
  }, [load, open]);

  if (open) return <BillDetailView billNo={open} onBack={() => setOpen(null)} />;
  return (
    <main className="screen two-col">
      <CreateBill onCreated={(billNo) => setOpen(billNo)} />
      <Section title={t('bills.list')}>
        <table className="table" data-testid="bills">
          <thead>
            <tr>
              <th>{t('bills.billNo')}</th>
              <th>{t('bills.destination')}</th>
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
                <td>
                  {b.parentCount}/{b.capacity}
                </td>
                <td>{t(`billStatus.${b.status}`)}</td>
                <td className="nowrap">{formatDateTime(b.createdAt)}</td>
              </tr>
            ))}
            {bills.length === 0 && (
              <tr>
                <td colSpan={5}>{t('bills.none')}</td>
              </tr>
            )}
          </tbody>
        </table>
      </Section>
    </main>
  );
}

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
          max={500}
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

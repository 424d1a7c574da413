import { useTranslation } from 'react-i18next';
import { Barcode } from '../print/Barcode.tsx';
import { commandCodes, type Command } from '../../src-shared/commands.ts';

const order: Command[] = ['undo', 'completeParent', 'newBill', 'logout', 'ack'];

/** The command sheet: print it, stick it by the scanner, and work the station with the scanner alone. */
export function BarcodesScreen() {
  const { t } = useTranslation();
  return (
    <main className="screen">
      <div className="no-print actions">
        <p className="hint">{t('barcodes.hint')}</p>
        <button type="button" className="button button-primary" onClick={() => window.print()}>
          {t('barcodes.print')}
        </button>
      </div>
      <div className="sheet" data-testid="command-sheet">
        <h2 className="print-only">{t('barcodes.sheetTitle')}</h2>
        {order.map((command) => (
          <figure key={command} className="sheet-card">
            <figcaption>{t(`commands.${command}`)}</figcaption>
            <Barcode text={commandCodes[command]} label={t(`commands.${command}`)} />
          </figure>
        ))}
      </div>
    </main>
  );
}

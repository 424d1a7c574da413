import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient } from '../app/station-context.tsx';
import { useLink } from '../app/use-link.ts';
import { submitRead } from '../scan/submit.ts';
import { useFlash } from '../feedback/flash-context.ts';
import { Field } from '../ui/ui.tsx';

/**
 * A damaged label: the worker types the code printed under the barcode. It goes the same way as a scan and is
 * recorded as typed, so a supervisor can tell a typed code from a scanned one.
 */
export function TypedEntry() {
  const { t } = useTranslation();
  const client = useClient();
  const flash = useFlash();
  const link = useLink();
  const [code, setCode] = useState('');

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = code.trim();
    if (!typed) return;
    setCode('');
    // As a keyboard read: while the red band is up nothing is sent, and the worker is told it was not saved.
    if (link !== 'up') return flash.readNotTaken(typed, null);
    void submitRead(client, typed, 'typed', flash.readNotTaken);
  };

  return (
    <form className="typed-entry" data-testid="typed-entry" onSubmit={submit}>
      <Field
        label={t('floor.typeLabel')}
        name="typed"
        autoComplete="off"
        spellCheck={false}
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <button type="submit" className="button">
        {t('floor.typeSubmit')}
      </button>
    </form>
  );
}

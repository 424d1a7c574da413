import { useTranslation } from 'react-i18next';

/** Browser mode opened without the token: say where the full address comes from. */
export function NoToken() {
  const { t } = useTranslation();
  return (
    <main className="panel narrow">
      <h1>{t('noToken.title')}</h1>
      <p className="big">{t('noToken.body')}</p>
    </main>
  );
}

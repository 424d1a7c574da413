import { useTranslation } from 'react-i18next';
import { languages, setLanguage } from '../i18n/i18n.ts';

/** Always on screen, before and after login: each language names itself in its own script. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <div className="lang" role="group" aria-label={t('settings.language')}>
      {languages.map((language) => (
        <button
          key={language.code}
          type="button"
          lang={language.code}
          className={`lang-button${i18n.language === language.code ? ' lang-on' : ''}`}
          aria-pressed={i18n.language === language.code}
          data-lang={language.code}
          onClick={() => setLanguage(language.code)}
        >
          {language.name}
        </button>
      ))}
    </div>
  );
}

import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.ts';
import { hi } from './hi.ts';

export const languages = [
  { code: 'en', name: 'English' },
  { code: 'hi', name: 'हिंदी' },
] as const;

export type Language = (typeof languages)[number]['code'];
const key = 'baglink.language';

function stored(): Language {
  const value = localStorage.getItem(key);
  return value === 'hi' ? 'hi' : 'en';
}

/** One message catalogue per language; placeholders are {name}, as in the station's error catalogue. */
export function startI18n() {
  const language = stored();
  document.documentElement.lang = language;
  return i18next.use(initReactI18next).init({
    resources: { en: { translation: en }, hi: { translation: hi } },
    lng: language,
    fallbackLng: 'en',
    interpolation: { escapeValue: false, prefix: '{', suffix: '}' },
    returnNull: false,
  });
}

export function setLanguage(language: Language) {
  localStorage.setItem(key, language);
  document.documentElement.lang = language;
  void i18next.changeLanguage(language);
}

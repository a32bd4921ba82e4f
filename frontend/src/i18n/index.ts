import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import en from './en.json'
import sv from './sv.json'

const saved = localStorage.getItem('samverkan.lang')
const lng = saved === 'en' ? 'en' : 'sv'
document.documentElement.lang = lng

void i18n.use(initReactI18next).init({
  resources: { sv: { translation: sv }, en: { translation: en } },
  lng,
  fallbackLng: 'sv',
  interpolation: { escapeValue: false },
})

/** Switches the language and remembers it. */
export function setLanguage(lang: 'sv' | 'en') {
  localStorage.setItem('samverkan.lang', lang)
  document.documentElement.lang = lang
  return i18n.changeLanguage(lang)
}

export default i18n

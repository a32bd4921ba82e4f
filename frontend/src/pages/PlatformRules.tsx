import { useTranslation } from 'react-i18next'
import { ExchangeRates, Rules } from './AdminSettings'

/** The platform operator's rules: the state-aid ceilings and the exchange rates every tenant's figures use. */
export default function PlatformRules() {
  const { t } = useTranslation()
  return (
    <>
      <h1>{t('nav.rules')}</h1>
      <Rules editable />
      <ExchangeRates set />
    </>
  )
}

import { useTranslation } from 'react-i18next'

export default function Accessibility() {
  const { t } = useTranslation()
  return (
    <section className="narrow">
      <h1>{t('a11y.title')}</h1>
      <p>{t('a11y.body1')}</p>
      <p>{t('a11y.body2')}</p>
      <p>{t('a11y.body3')}</p>
    </section>
  )
}

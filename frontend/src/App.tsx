import { lazy, Suspense } from 'react'
import { useTranslation } from 'react-i18next'
import { Navigate, NavLink, Route, Routes, useNavigate } from 'react-router-dom'
import { AuthProvider } from './auth'
import { useAuth } from './auth-context'
import { setLanguage } from './i18n'
import SignIn from './pages/SignIn'
import { Loading } from './states'
import { headerLook, useTenant } from './tenant'

// Pages load on demand, so the first screen stays small.
const Overview = lazy(() => import('./pages/Overview'))
const Partnerships = lazy(() => import('./pages/Partnerships'))
const Partnership = lazy(() => import('./pages/Partnership'))
const Measurements = lazy(() => import('./pages/Measurements'))
const Organisations = lazy(() => import('./pages/Organisations'))
const Reports = lazy(() => import('./pages/Reports'))
const Lessons = lazy(() => import('./pages/Lessons'))
const OrganisationProfile = lazy(() => import('./pages/OrganisationProfile'))
const Admin = lazy(() => import('./pages/Admin'))
const Funding = lazy(() => import('./pages/Funding'))
const Import = lazy(() => import('./pages/Import'))
const NewPartnership = lazy(() => import('./pages/NewPartnership'))
const Accessibility = lazy(() => import('./pages/Accessibility'))
const Tenants = lazy(() => import('./pages/Tenants'))
const PlatformRules = lazy(() => import('./pages/PlatformRules'))

export default function App() {
  return (
    <AuthProvider>
      <Shell />
    </AuthProvider>
  )
}

function Shell() {
  const { t, i18n } = useTranslation()
  const { me, loading, signOut } = useAuth()
  const navigate = useNavigate()
  const tenant = useTenant()
  // The platform operator runs the platform and belongs to no tenant: it
  // sees the tenants and the shared rules, none of a tenant's pages.
  const operator = me?.role === 'operator'
  const member = me && !operator
  const staff = member && me.role !== 'reporter'
  const writer = staff && me.role !== 'viewer'
  return (
    <>
      <a className="skip" href="#main">
        {t('skip')}
      </a>
      <header style={headerLook(tenant.data?.colour)}>
        <span className="brand">{t('app')}</span>
        {tenant.data?.name && <span className="tenant">{tenant.data.name}</span>}
        {operator && <span className="tenant">{t('tenants.platform')}</span>}
        <nav aria-label={t('nav.main')}>
          {operator && <NavLink to="/" end>{t('nav.tenants')}</NavLink>}
          {operator && <NavLink to="/regler">{t('nav.rules')}</NavLink>}
          {staff && <NavLink to="/">{t('nav.overview')}</NavLink>}
          {member && <NavLink to="/samverkan" end>{t('nav.partnerships')}</NavLink>}
          {staff && <NavLink to="/organisationer">{t('nav.organisations')}</NavLink>}
          {staff && <NavLink to="/finansiering">{t('nav.funding')}</NavLink>}
          {writer && <NavLink to="/matvarden">{t('nav.measurements')}</NavLink>}
          {staff && <NavLink to="/lardomar">{t('nav.lessons')}</NavLink>}
          {staff && <NavLink to="/rapporter">{t('nav.reports')}</NavLink>}
          {writer && <NavLink to="/import">{t('nav.import')}</NavLink>}
          {me?.role === 'admin' && <NavLink to="/admin">{t('nav.admin')}</NavLink>}
          <NavLink to="/tillganglighet">{t('nav.accessibility')}</NavLink>
        </nav>
        <span className="tools">
          <button type="button" lang={i18n.language === 'sv' ? 'en' : 'sv'} onClick={() => void setLanguage(i18n.language === 'sv' ? 'en' : 'sv')}>
            {t('nav.language')}
          </button>
          {me && (
            <button type="button" onClick={() => void signOut().then(() => navigate('/'))}>
              {t('nav.signOut')} ({me.user?.name ?? me.id})
            </button>
          )}
        </span>
      </header>
      <main id="main" tabIndex={-1}>
        {loading ? (
          <Loading />
        ) : (
          <Suspense fallback={<Loading />}>
            <Routes>
              <Route path="/tillganglighet" element={<Accessibility />} />
              {!me && <Route path="*" element={<SignIn />} />}
              {operator && <Route path="/" element={<Tenants />} />}
              {operator && <Route path="/regler" element={<PlatformRules />} />}
              {member && <Route path="/" element={staff ? <Overview /> : <Navigate to="/samverkan" replace />} />}
              {member && <Route path="/samverkan" element={<Partnerships />} />}
              {writer && <Route path="/samverkan/ny" element={<NewPartnership />} />}
              {member && <Route path="/samverkan/:id" element={<Partnership />} />}
              {staff && <Route path="/organisationer" element={<Organisations />} />}
              {staff && <Route path="/organisationer/:id" element={<OrganisationProfile />} />}
              {staff && <Route path="/rapporter/:name?" element={<Reports />} />}
              {staff && <Route path="/lardomar" element={<Lessons />} />}
              {staff && <Route path="/finansiering" element={<Funding />} />}
              {writer && <Route path="/import" element={<Import />} />}
              {me?.role === 'admin' && <Route path="/admin" element={<Admin />} />}
              {writer && <Route path="/matvarden" element={<Measurements />} />}
              {me && <Route path="*" element={<Navigate to="/" replace />} />}
            </Routes>
          </Suspense>
        )}
      </main>
    </>
  )
}

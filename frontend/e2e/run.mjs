// Browser tests: Debian's Chromium, driven by playwright-core, against a real
// `samverkan serve` on a fresh embedded database with the demo data and a
// platform operator (the bootstrap account). Every page visited is checked
// with axe (no serious or critical violations) and photographed into
// frontend/screenshots/.
import { spawn } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'

const require = createRequire(import.meta.url)
const root = new URL('..', import.meta.url).pathname
const shots = join(root, 'screenshots')
mkdirSync(shots, { recursive: true })

const port = await new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port
    s.close(() => ok(p))
  })
})
const base = `http://127.0.0.1:${port}`
const data = mkdtempSync(join(tmpdir(), 'samverkan-e2e-'))
chmodSync(data, 0o755) // the embedded cluster runs as an unprivileged user when we are root
const server = spawn(join(root, '..', 'bin', 'samverkan'), ['serve'], {
  env: { ...process.env, DATABASE_URL: '', SAMVERKAN_ADDR: `127.0.0.1:${port}`, SAMVERKAN_DATA_DIR: data, SAMVERKAN_DEMO: '1', SAMVERKAN_WEB_DIR: join(root, 'dist'), SAMVERKAN_LOG_LEVEL: 'warn', SAMVERKAN_RATE_LIMIT: '6000',
    SAMVERKAN_BOOTSTRAP_ADMIN_EMAIL: 'drift@e2e.samverkan.se', SAMVERKAN_BOOTSTRAP_ADMIN_PASSWORD: 'samverkan-demo' },
  stdio: ['ignore', 'inherit', 'inherit'],
})
const stopServer = async () => {
  if (server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise((ok) => server.once('exit', ok))
  }
  rmSync(data, { recursive: true, force: true })
}

let failures = 0
const check = (ok, what) => {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures++
}

// settled is how many elements locator finds once it finds want of them, or
// after a few seconds: a list being fetched again shows the old rows first.
async function settled(locator, want) {
  let n = await locator.count()
  for (let end = Date.now() + 8000; n !== want && Date.now() < end; n = await locator.count()) {
    await new Promise((ok) => setTimeout(ok, 100))
  }
  return n
}

async function ready() {
  for (let i = 0; i < 240; i++) {
    try {
      if ((await fetch(base + '/readyz')).ok) return
    } catch {
      // not listening yet
    }
    if (server.exitCode !== null) throw new Error('samverkan serve exited')
    await new Promise((ok) => setTimeout(ok, 250))
  }
  throw new Error('samverkan serve did not get ready in 60 s')
}

async function axe(page, name) {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') })
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }))
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  for (const v of bad) console.log(`     ${v.id}: ${v.help} (${v.nodes.map((n) => n.target).join(', ')})`)
  check(bad.length === 0, `axe: ${name} has no serious or critical violations`)
  await page.screenshot({ path: join(shots, name + '.png'), fullPage: true })
}

// An account's tenant as the API tells it (its name and colour), with a token of its own.
async function tenantOf(email, password = 'samverkan-demo') {
  const res = await fetch(base + '/api/v1/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: email, password }) })
  const { access_token } = await res.json()
  return (await fetch(base + '/api/v1/tenant', { headers: { Authorization: 'Bearer ' + access_token } })).json()
}

// #rrggbb as the browser's computed style writes it.
const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`

// How the header wears the tenant: its text, background and top band.
const headerLook = (page) => page.locator('header').evaluate((h) => {
  const s = getComputedStyle(h)
  return { text: h.innerText, background: s.backgroundColor, band: s.borderTopColor, overflow: h.scrollWidth > h.clientWidth }
})

// The page at a laptop's and a phone's size, photographed (not kept in git).
async function sizes(page, name) {
  for (const [width, height] of [[1366, 900], [390, 844]]) {
    await page.setViewportSize({ width, height })
    await page.evaluate(() => scrollTo(0, 0))
    check(!(await headerLook(page)).overflow && (await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth + 1)), `${name} fits ${width} px without scrolling sideways`)
    await page.screenshot({ path: join(shots, `${name}-${width}.png`) })
  }
  await page.setViewportSize({ width: 1280, height: 720 })
}

// A valid organisationsnummer for an association (802…), new each run.
function validOrgNumber() {
  const nine = '802' + String(Date.now()).slice(-6)
  let sum = 0
  for (let i = 0; i < 9; i++) {
    let d = Number(nine[i]) * (i % 2 === 0 ? 2 : 1)
    if (d > 9) d -= 9
    sum += d
  }
  return `${nine.slice(0, 6)}-${nine.slice(6)}${(10 - (sum % 10)) % 10}`
}

let browser
try {
  await ready()
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  })
  const context = await browser.newContext({ acceptDownloads: true, locale: 'sv-SE' })
  const page = await context.newPage()
  page.setDefaultTimeout(15000)
  const signIn = async (email, password = 'samverkan-demo') => {
    await page.goto(base + '/')
    await page.getByLabel('E-postadress').fill(email)
    await page.getByLabel('Lösenord').fill(password)
    await page.getByRole('button', { name: 'Logga in' }).click()
  }
  // The partnership page's tabs (the header has links of the same names).
  const tab = async (name) => {
    await page.getByRole('navigation', { name: 'Delar av samverkan' }).getByRole('link', { name }).click()
    await page.waitForURL(/flik=/)
  }

  await page.goto(base + '/')
  await page.getByRole('heading', { name: 'Logga in' }).waitFor()
  await axe(page, 'inloggning')
  await page.keyboard.press('Tab')
  check(await page.getByRole('link', { name: 'Hoppa till innehållet' }).evaluate((a) => a === document.activeElement && a.getBoundingClientRect().left >= 0), 'the first Tab shows the skip link')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  check(await page.evaluate(() => document.activeElement?.id === 'email'), 'the skip link leads the keyboard to the sign-in form')
  await page.getByLabel('E-postadress').fill('redaktor@demo.samverkan.se')
  await page.getByLabel('Lösenord').fill('fel lösenord')
  await page.getByRole('button', { name: 'Logga in' }).click()
  await page.getByRole('alert').waitFor()
  check(/Fel e-postadress eller lösenord/.test(await page.getByRole('alert').innerText()), `a wrong password is told in an alert (${(await page.getByRole('alert').innerText()).split('\n')[0]})`)

  await signIn('redaktor@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()
  const home = await tenantOf('redaktor@demo.samverkan.se')
  await page.locator('header').getByText(home.name, { exact: true }).waitFor()
  const homeLook = await headerLook(page)
  check(homeLook.band === rgb(home.colour) && (homeLook.background === rgb(home.colour) || homeLook.background === 'rgb(11, 83, 148)'),
    `the header names the tenant and wears its colour (${home.name}, ${home.colour}: background ${homeLook.background})`)
  await sizes(page, 'sidhuvud')
  await page.getByLabel('År', { exact: true }).selectOption('2015')
  await page.getByRole('heading', { name: 'Beviljat per finansieringskälla 2015' }).waitFor()
  await page.waitForFunction(() => !document.querySelector('[role=status]'))
  const granted = (await page.locator('.figures dd').nth(1).innerText()).replace(/\s/g, ' ')
  check(/kr$/.test(granted.trim()) && granted.trim() !== '0 kr', `granted 2015 is shown in kronor (${granted.trim()})`)
  await axe(page, 'oversikt')
  const activeAll = Number((await page.locator('.figures dd').first().innerText()).replace(/\D/g, ''))
  await Promise.all([
    page.waitForResponse((r) => r.url().includes('/reports/portfolio?') && r.url().includes('district=')),
    page.getByLabel('Stadsdel').selectOption({ label: 'Västra Göteborg' }),
  ])
  await page.waitForFunction(() => /\d/.test(document.querySelector('.figures dd')?.textContent ?? ''))
  const activeWest = Number((await page.locator('.figures dd').first().innerText()).replace(/\D/g, ''))
  check(activeWest > 0 && activeWest < activeAll, `the overview narrows to a district (${activeAll} → ${activeWest} active)`)

  // Each tenant sees its own: the lessons are Borås's, the ESF project is Region Skåne's.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('redaktor.boras@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()
  await page.getByRole('link', { name: 'Lärdomar' }).click()
  await page.getByLabel('Faktor').selectOption('responsiveness')
  await page.getByRole('button', { name: 'Filtrera' }).click()
  await page.waitForURL(/factor=responsiveness/)
  await page.locator('.lessons li').first().waitFor()
  check((await settled(page.locator('.lessons li'), 1)) === 1, 'the lessons library filters by factor (the Borås lesson on responsiveness)')
  await axe(page, 'lardomar')

  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('redaktor.skane@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()
  await page.getByRole('link', { name: 'Finansiering' }).click()
  await page.getByRole('cell', { name: 'Europeiska socialfonden 2014–2020' }).first().waitFor()
  await page.getByRole('heading', { name: 'Statsstöd per organisation' }).waitFor()
  await page.waitForFunction(() => !document.querySelector('[role=status]'))
  check(true, 'the funding page lists the sources and the state-aid overview')
  await page.getByLabel('Budgetår').fill('2014')
  await page.getByRole('button', { name: 'Filtrera' }).click()
  await page.waitForURL(/year=2014/)
  // Wait for the filtered answer to replace the unfiltered list.
  const decisions = page.locator('section', { has: page.getByRole('heading', { name: 'Beslut om medel' }) })
  await decisions.getByRole('cell', { name: '790 680 kr' }).waitFor()
  await page.waitForFunction(() => !document.querySelector('[role=status]'))
  check((await settled(decisions.locator('tbody tr'), 1)) === 1, 'allocations filter by fiscal year (2014: the ESF project, 790 680 kr)')
  await axe(page, 'finansiering')

  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('redaktor@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()

  await page.getByRole('link', { name: 'Importera' }).click()
  await page.getByLabel('Vad filen innehåller').selectOption('organisations')
  const csv = 'name,org_number,sector,legal_form\nImportföreningen i Lundby,,civil_society,ideell_forening\nUtan sektor,,,ideell_forening\n'
  await page.getByLabel('Fil (CSV eller XLSX)').setInputFiles({ name: 'organisationer.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
  await page.getByRole('button', { name: 'Provkör' }).click()
  await page.getByText(/Rad 3/).waitFor()
  check(await page.getByText('Inget sparades.').or(page.getByText('Provkörning – inget är sparat.')).first().isVisible(), 'a dry run of an import tells the row to correct and saves nothing')
  await axe(page, 'importera')

  await page.getByRole('link', { name: 'Rapporter' }).click()
  await page.getByRole('link', { name: 'Idésluss' }).click()
  await page.getByRole('heading', { name: 'Närvaro' }).waitFor()
  check((await settled(page.locator('section', { has: page.getByRole('heading', { name: 'Närvaro' }) }).locator('tbody tr'), 2)) === 2, 'the matching report shows the two Idésluss meetings')
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner Excel' }).click()])
  check(xlsx.suggestedFilename() === 'matching.xlsx', 'a report downloads as Excel')
  await axe(page, 'rapporter')

  await page.getByRole('link', { name: 'Samverkan', exact: true }).click()
  await page.getByRole('heading', { name: 'Samverkan', level: 1 }).waitFor()
  await page.locator('tbody tr').first().waitFor()
  const all = await page.locator('tbody tr').count()
  await page.getByLabel('Status').selectOption('active')
  await page.getByRole('button', { name: 'Filtrera' }).click()
  await page.waitForURL(/status=active/)
  await page.waitForLoadState('networkidle')
  await page.locator('tbody tr').first().waitFor()
  check(true, `filtering on status keeps it in the URL (${all} → ${await page.locator('tbody tr').count()} rows)`)
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ladda ner CSV' }).click()])
  check(download.suggestedFilename() === 'samverkan.csv', 'the list downloads as CSV')
  await axe(page, 'samverkan')

  await page.reload()
  check(await page.getByLabel('Status').inputValue() === 'active', 'a reload keeps the filter and the session')

  // An editor adds an organisation, registers a partnership with two parties,
  // money and an indicator, reports and approves a value, and the overview counts it.
  const year = new Date().getFullYear()
  await page.goto(base + `/?year=${year}`)
  await page.waitForFunction(() => !document.querySelector('[role=status]'))
  const measuredBefore = await page.locator('.figures dd').nth(2).innerText()
  await page.getByRole('link', { name: 'Organisationer' }).click()
  await page.getByRole('heading', { name: 'Lägg till organisation' }).waitFor()
  const orgName = `Testföreningen ${Date.now()}`
  await page.getByLabel('Namn', { exact: true }).fill(orgName)
  await page.getByLabel('Organisationsnummer', { exact: true }).fill('802012-3457')
  check(await page.getByText('Kontrollsiffran stämmer inte').isVisible(), 'a wrong check digit is told as you type')
  await page.getByLabel('Organisationsnummer', { exact: true }).fill(validOrgNumber())
  await page.getByLabel('Sektor').selectOption('civil_society')
  await page.getByLabel('Juridisk form').selectOption('ideell_forening')
  await page.getByRole('button', { name: 'Lägg till', exact: true }).click()
  await page.getByText(`${orgName} är tillagd.`).waitFor()
  check(true, 'an organisation is created')
  await axe(page, 'organisationer')
  await page.getByRole('link', { name: 'Friskvårdsklubben i Göteborg' }).click()
  const asParty = page.locator('section', { has: page.getByRole('heading', { name: 'Som part i samverkan' }) })
  await asParty.locator('tbody tr').first().waitFor()
  check((await settled(asParty.locator('tbody tr'), 2)) === 2, "an organisation's profile lists its partnerships (Friskvårdsklubben: 2015 and its 2016 extension)")
  await page.getByRole('rowheader', { name: 'General de minimis' }).first().waitFor()
  check(true, "an organisation's profile shows its state-aid headroom")
  const orgEdit = page.locator('details', { hasText: 'Ändra uppgifter' })
  await orgEdit.locator('summary').click()
  await orgEdit.getByLabel('Organisationsnummer', { exact: true }).fill('802012-345')
  check(await orgEdit.getByText(/tio siffror|10 siffror/i).first().isVisible(), 'a short organisationsnummer is told as you type when editing')
  await orgEdit.getByLabel('Organisationsnummer', { exact: true }).fill('')
  await orgEdit.getByLabel('Webbplats').fill('https://friskvardsklubben.example')
  await orgEdit.getByRole('button', { name: 'Spara' }).click()
  await page.getByText('Ändringarna är sparade.').waitFor()
  // The profile shows the change once it has been read again.
  await page.getByRole('link', { name: 'https://friskvardsklubben.example' }).waitFor()
  check(true, 'an organisation is edited (with If-Match)')
  await axe(page, 'organisation-profil')

  await page.getByRole('link', { name: 'Samverkan', exact: true }).click()
  await page.getByRole('link', { name: 'Registrera ny samverkan' }).click()
  // The list page has a Form filter too: wait for the new page before typing.
  await page.getByRole('heading', { name: 'Registrera ny samverkan' }).waitFor()
  await page.getByLabel('Form').locator('option').nth(1).waitFor({ state: 'attached' })
  await page.getByLabel('Titel').fill('Läxhjälp i Lundby')
  await page.getByRole('button', { name: 'Registrera' }).click()
  await page.locator('#p-form-note').waitFor()
  check(true, 'a missing form is told at its field')
  check((await page.getByLabel('Titel').inputValue()) === 'Läxhjälp i Lundby', 'what was typed survives a refused submit')
  await page.getByLabel('Form').selectOption('iop')
  await page.getByLabel('Från och med').fill(`${year}-01-01`)
  await page.getByLabel('Till och med').fill(`${year}-12-31`)
  await page.getByRole('button', { name: 'Registrera' }).click()
  await page.getByRole('heading', { name: 'Läxhjälp i Lundby' }).waitFor()
  const newURL = page.url()
  await axe(page, 'ny-samverkan')
  const edit = page.locator('details', { hasText: 'Ändra uppgifter' })
  await edit.locator('summary').click()
  await edit.getByLabel('Syfte').fill('Läxhjälp för elever i årskurs 4–9')
  await edit.getByLabel('Delaktighetsnivå').selectOption('partnership')
  await edit.getByLabel('Steg i beslutsprocessen').selectOption('implementation')
  await edit.getByLabel('Lundby').check()
  await edit.getByRole('button', { name: 'Spara' }).click()
  await page.getByRole('paragraph').filter({ hasText: 'Läxhjälp för elever i årskurs 4–9' }).waitFor()
  check(true, 'the partnership is edited (with If-Match)')
  const status = page.locator('details', { hasText: 'Ändra status' })
  await status.locator('summary').click()
  await status.getByLabel('Ny status').selectOption('active')
  await status.getByRole('button', { name: 'Ändra', exact: true }).click()
  await page.locator('.facts dd', { hasText: 'Aktiv' }).waitFor()
  check(await page.getByText(/Idé → Aktiv/).isVisible(), 'the partnership becomes active, and its history says so')
  check(await page.getByRole('cell', { name: '● denna samverkan' }).isVisible(), 'the partnership is placed on the participation matrix')
  check((await settled(page.locator('.facts dd', { hasText: 'Lundby' }), 1)) === 1, 'the partnership is classified by district')
  await axe(page, 'samverkan-oversikt')
  await tab('Parter och bidrag')
  for (const [org, role] of [[orgName, 'lead'], ['Göteborgs Stadsmission', 'partner']]) {
    const form = page.locator('details', { hasText: 'Lägg till part' })
    if ((await form.getAttribute('open')) === null) await form.locator('summary').click()
    await form.getByLabel('Sök organisation').fill(org)
    await form.getByRole('option', { name: org }).waitFor({ state: 'attached' })
    await form.getByLabel('Organisation', { exact: true }).selectOption({ label: org })
    await form.getByLabel('Roll').selectOption(role)
    await form.getByRole('button', { name: 'Lägg till' }).click()
    await page.locator('table').first().getByRole('cell', { name: org }).waitFor()
  }
  check((await settled(page.locator('table').first().locator('tbody tr'), 2)) === 2, 'the partnership has two parties')
  const commitment = page.locator('details', { hasText: 'Lägg till åtagande eller insats' })
  await commitment.locator('summary').click()
  await commitment.getByLabel('Organisation').selectOption({ label: orgName })
  await commitment.getByLabel('Slag').selectOption('volunteer_hours')
  await commitment.getByLabel('Omfattning').fill('120')
  await commitment.getByLabel('Enhet').fill('timmar')
  await commitment.getByLabel('Värde (kr)').fill('tolv tusen')
  await commitment.getByRole('button', { name: 'Lägg till' }).click()
  await commitment.getByText('Skriv ett belopp i kronor').waitFor()
  await commitment.getByLabel('Värde (kr)').fill('36 000')
  await commitment.getByRole('button', { name: 'Lägg till' }).click()
  await page.getByRole('cell', { name: '120 timmar' }).waitFor()
  check(await page.getByRole('cell', { name: '36 000 kr' }).first().isVisible(), 'volunteer time is committed, valued in kronor (a bad amount is told at its field first)')
  await axe(page, 'samverkan-parter')
  await tab('Finansiering')
  const funding = page.locator('details', { hasText: 'Lägg till finansiering' })
  await funding.locator('summary').click()
  await funding.getByLabel('Finansieringskälla').selectOption({ index: 1 })
  await funding.getByLabel('Mottagare').selectOption({ label: orgName })
  await funding.getByLabel('Beviljat (kr)').fill('50000')
  await funding.getByLabel('Beslutsdatum').fill(`${year}-01-15`)
  await funding.getByRole('button', { name: 'Lägg till' }).click()
  await page.locator('.figures dd', { hasText: '50 000 kr' }).first().waitFor()
  check(true, 'funding is added and shown in kronor')
  const pay = page.locator('details', { hasText: 'Registrera utbetalning' }).first()
  await pay.locator('summary').click()
  await pay.getByLabel('Belopp (kr)').fill('20000')
  await pay.getByLabel('Utbetald').fill(`${year}-02-01`)
  await pay.getByRole('button', { name: 'Lägg till' }).click()
  await page.getByRole('cell', { name: '20 000 kr' }).waitFor()
  await page.locator('.figures dd', { hasText: '20 000 kr' }).first().waitFor()
  check(true, 'a disbursement is recorded and counted as paid')
  await axe(page, 'samverkan-finansiering')
  await tab('Indikatorer')
  const ind = page.locator('details', { hasText: 'Lägg till indikator' })
  await ind.locator('summary').click()
  await ind.getByLabel('Indikator').fill('Elever med läxhjälp')
  await ind.getByLabel('Enhet').fill('elever')
  await ind.getByLabel('Mål (valfritt)').fill('60')
  await ind.getByLabel('Målet gäller från').fill(`${year}-01-01`)
  await ind.getByLabel('Målet gäller till').fill(`${year}-06-30`)
  await ind.getByRole('button', { name: 'Lägg till' }).click()
  const newIndicator = page.locator('section.indicator', { hasText: 'Elever med läxhjälp' })
  await newIndicator.waitFor()
  await newIndicator.getByText('Rapportera ett mätvärde').click()
  await newIndicator.getByLabel('Från och med').fill(`${year}-01-01`)
  await newIndicator.getByLabel('Till och med').fill(`${year}-06-30`)
  await newIndicator.getByLabel('Värde').fill('40')
  await newIndicator.getByRole('button', { name: 'Skicka' }).click()
  await newIndicator.getByText('Tack! Mätvärdet är skickat').waitFor()
  await newIndicator.getByRole('cell', { name: '60' }).waitFor()
  check(true, "an indicator's target per period is set and shown against the outcome")
  await axe(page, 'samverkan-indikatorer')
  await tab('Dokument')
  const doc = page.locator('details', { hasText: 'Ladda upp dokument' })
  await doc.locator('summary').click()
  await doc.getByLabel('Rubrik').fill('Överenskommelse om IOP')
  await doc.getByLabel('Fil', { exact: true }).setInputFiles({ name: 'overenskommelse.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') })
  await doc.getByRole('button', { name: 'Ladda upp' }).click()
  await page.getByRole('button', { name: 'Överenskommelse om IOP' }).waitFor()
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Överenskommelse om IOP' }).click()])
  check(pdf.suggestedFilename() === 'overenskommelse.pdf', 'a document is uploaded to the partnership and downloads again')
  await axe(page, 'samverkan-dokument')
  await tab('Historik')
  await page.getByRole('cell', { name: /Dokument laddades upp/ }).waitFor()
  check(await page.getByRole('cell', { name: /Samverkan ändrades \(.*syfte/ }).isVisible(), "the history tab lists the partnership's changes from the audit trail, with the fields changed")
  await axe(page, 'samverkan-historik')
  await page.getByRole('link', { name: 'Mätvärden' }).click()
  await page.locator('tbody tr').first().waitFor()
  await page.locator('tbody tr', { hasText: '40' }).getByRole('button', { name: 'Godkänn' }).click()
  await page.locator('tbody tr', { hasText: '40' }).waitFor({ state: 'detached' })
  await page.goto(base + `/?year=${year}`)
  await page.waitForFunction(() => !document.querySelector('[role=status]'))
  const measuredAfter = await page.locator('.figures dd').nth(2).innerText()
  check(Number(measuredAfter) === Number(measuredBefore) + 1, `the overview counts the approved result (${measuredBefore} → ${measuredAfter})`)
  await page.goto(newURL)
  await page.locator('h1 .muted').waitFor()
  const oldRef = await page.locator('h1 .muted').innerText()
  const extend = page.locator('details', { hasText: 'Förläng till en ny period' })
  await extend.locator('summary').click()
  await extend.getByLabel('Från och med').fill(`${year + 1}-01-01`)
  await extend.getByLabel('Till och med').fill(`${year + 1}-12-31`)
  await extend.getByRole('button', { name: 'Förläng', exact: true }).click()
  await page.waitForURL((u) => u.href !== newURL && /\/samverkan\/[0-9a-f-]{36}$/.test(u.pathname))
  await page.waitForFunction((ref) => { const h = document.querySelector('h1 .muted'); return h && h.textContent !== ref }, oldRef)
  await tab('Parter och bidrag')
  await page.locator('table').first().getByRole('cell', { name: orgName }).waitFor()
  check((await settled(page.locator('table').first().locator('tbody tr'), 2)) === 2, 'an extension carries the parties into the new period')
  await page.goto(base + '/samverkan?q=' + encodeURIComponent('Idésluss för social hållbarhet'))
  await page.locator('tbody tr a').first().click()
  await page.locator('h1 .muted').waitFor()
  const lundbyURL = page.url()

  // An evaluation of Friskvårdsklubben's 2016 period, for the organisation to give its view on.
  await page.goto(base + '/samverkan?q=' + encodeURIComponent('Friskvårdsklubben förlängning'))
  await page.locator('tbody tr a').first().click()
  await tab('Utvärdering och lärdomar')
  const evaluation = page.locator('details', { hasText: 'Lägg till utvärdering' })
  await evaluation.locator('summary').click()
  await evaluation.getByLabel('Utvärderad').fill('2016-12-15')
  await evaluation.getByLabel('Utvärderare').fill('Social resursförvaltning')
  await evaluation.getByLabel('Sammanfattning').fill('Aktiviteterna har genomförts enligt plan; referensgruppen har träffats varje termin.')
  await evaluation.getByRole('button', { name: 'Lägg till' }).click()
  await page.getByText('referensgruppen har träffats varje termin').waitFor()
  check(true, 'staff add an evaluation')

  await page.goto(base + '/samverkan?status=active')

  await page.getByRole('button', { name: 'English' }).click()
  await page.getByRole('heading', { name: 'Partnerships', level: 1 }).waitFor()
  check((await page.locator('html').getAttribute('lang')) === 'en', 'English switches the page language')
  await axe(page, 'partnerships-en')
  await page.getByRole('button', { name: 'Svenska' }).click()

  await page.getByRole('link', { name: 'Tillgänglighet' }).click()
  await page.getByRole('heading', { name: 'Tillgänglighetsredogörelse' }).waitFor()
  await axe(page, 'tillganglighet')

  await page.getByRole('button', { name: /Logga ut/ }).click()
  await page.getByRole('heading', { name: 'Logga in' }).waitFor()
  await signIn('friskvard@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Samverkan', level: 1 }).waitFor()
  check((await settled(page.getByRole('link', { name: 'Översikt' }), 0)) === 0, 'a reporter has no overview, only their partnerships')
  await axe(page, 'rapportor')

  // The organisation reports an outcome on its partnership…
  await page.locator('tbody tr a').first().click()
  await tab('Utvärdering och lärdomar')
  const assess = page.locator('details', { hasText: 'Lämna er bedömning' })
  await assess.locator('summary').click()
  await assess.getByLabel('Betyg, 1–5').selectOption('4')
  await assess.getByLabel('Er bedömning').fill('Deltagarna uppskattar passen; vi vill ha fler platser i Nordost.')
  await assess.getByRole('button', { name: 'Skicka' }).click()
  await page.getByText('vi vill ha fler platser i Nordost').waitFor()
  check(await page.getByText('Friskvårdsklubben i Göteborg').first().isVisible(), 'the organisation gives its own assessment of the evaluation')
  await axe(page, 'rapportor-bedomning')
  await tab('Indikatorer')
  await page.getByRole('heading', { name: 'Indikatorer' }).waitFor()
  const partnershipURL = page.url()
  const indicator = page.locator('section.indicator').first()
  const before = await indicator.locator('p').first().innerText()
  await indicator.getByText('Rapportera ett mätvärde').click()
  await indicator.getByLabel('Från och med').fill('2016-07-01')
  await indicator.getByLabel('Till och med').fill('2016-06-30')
  await indicator.getByLabel('Värde').fill('7')
  await indicator.getByRole('button', { name: 'Skicka' }).click()
  await indicator.locator('.field-error').first().waitFor()
  check(true, 'a period that ends before it starts is refused at the field')
  await indicator.getByLabel('Från och med').fill('2016-07-01')
  await indicator.getByLabel('Till och med').fill('2016-12-31')
  await indicator.getByRole('button', { name: 'Skicka' }).click()
  await indicator.getByText('Tack! Mätvärdet är skickat').waitFor()
  check(true, 'a reporter submits a measurement')
  await axe(page, 'rapportera')

  // …and staff approve it, and the partnership's actual changes.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('redaktor@demo.samverkan.se')
  await page.getByRole('link', { name: 'Mätvärden' }).click()
  await page.getByRole('heading', { name: 'Mätvärden att godkänna' }).waitFor()
  await page.locator('tbody tr').first().waitFor()
  const queued = await page.locator('tbody tr').count()
  await axe(page, 'matvarden')
  await page.locator('tbody tr', { hasText: '1 juli 2016' }).getByRole('button', { name: 'Godkänn' }).click()
  await page.waitForFunction((n) => document.querySelectorAll('tbody tr').length === n - 1 || document.querySelectorAll('tbody tr').length === 0, queued)
  check(true, `approving takes it off the queue (${queued} → ${queued - 1})`)
  await page.goto(partnershipURL)
  await page.getByRole('heading', { name: 'Indikatorer' }).waitFor()
  const after = await page.locator('section.indicator').first().locator('p').first().innerText()
  check(after !== before, `the approved value shows on the partnership (“${before}” → “${after}”)`)
  await axe(page, 'samverkan-detalj')

  // A district editor of Västra Göteborg is refused Lundby's partnership.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('vastra@demo.samverkan.se')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()
  await page.goto(lundbyURL)
  await page.getByRole('alert').waitFor()
  check(/hittades inte|not found/i.test(await page.getByRole('alert').innerText()), `a district editor is refused another district's partnership (${(await page.getByRole('alert').innerText()).split('\n')[0]})`)
  await axe(page, 'annan-stadsdel')

  // An administrator creates an API client for a report script; the secret is shown once.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('admin@demo.samverkan.se')
  await page.getByRole('link', { name: 'Administration' }).click()
  await page.getByRole('heading', { name: 'API-klienter' }).waitFor()
  await page.getByText('Skapa API-klient').click()
  await page.locator('#c-name').fill('Rapportskript')
  await page.getByLabel('reports:read').check()
  await page.locator('details', { hasText: 'Skapa API-klient' }).getByRole('button', { name: 'Lägg till' }).click()
  await page.getByText('Kopiera hemligheten nu').waitFor()
  check((await page.locator('.secret code').nth(1).innerText()).length > 20, "a new API client's secret is shown once")
  await page.locator('tbody tr', { hasText: 'client.save' }).first().waitFor({ state: 'attached' }).catch(() => {})
  const entry = page.locator('details', { hasText: 'Lägg till värde' })
  await entry.locator('summary').click()
  await entry.getByLabel('Kod').fill('ekonomisk_utsatthet')
  await entry.getByLabel('Benämning på svenska').fill('Personer i ekonomisk utsatthet')
  await entry.getByLabel('Benämning på engelska').fill('People in financial hardship')
  await entry.getByRole('button', { name: 'Lägg till' }).click()
  await page.getByRole('cell', { name: 'Personer i ekonomisk utsatthet' }).waitFor()
  check(true, 'an administrator extends the target groups')
  await page.getByRole('heading', { name: 'Regler och gränsvärden' }).waitFor()
  check((await page.locator('details', { hasText: 'Ändra gränsvärden' }).count()) === 0 && (await page.locator('details', { hasText: 'Ange växelkurs för ett år' }).count()) === 0 &&
    (await page.getByText('ändras av plattformens operatör').first().isVisible()),
  "a tenant's administrator reads the rules and exchange rates, which the platform operator changes")
  await axe(page, 'admin')

  // A list of 200 rows scrolls smoothly: 200 partnerships, one page, frame times while scrolling.
  const tokenRes = await fetch(base + '/api/v1/auth/token', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ grant_type: 'password', username: 'redaktor@demo.samverkan.se', password: 'samverkan-demo' }) })
  const { access_token } = await tokenRes.json()
  const made = await Promise.all(Array.from({ length: 8 }, async (_, w) => {
    let ok = 0
    for (let i = w; i < 200; i += 8) {
      const r = await fetch(base + '/api/v1/partnerships', { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer ' + access_token }, body: JSON.stringify({ title: `Skrolltest ${i + 1}`, form: 'project_grant', municipality_code: '1480', status: 'active', start_date: '2020-01-01' }) })
      if (r.status === 201) ok++
    }
    return ok
  }))
  check(made.reduce((a, b) => a + b, 0) === 200, '200 partnerships are registered through the API')
  await page.goto(base + '/samverkan?limit=200')
  await page.locator('tbody tr').nth(199).waitFor()
  const frames = await page.evaluate(async () => {
    const times = []
    let last = performance.now()
    const end = document.documentElement.scrollHeight - innerHeight
    for (let y = 0; y <= end; y += 60) {
      scrollTo(0, y)
      await new Promise((ok) => requestAnimationFrame(() => ok()))
      const now = performance.now()
      times.push(now - last)
      last = now
    }
    times.sort((a, b) => a - b)
    return { n: times.length, p50: times[Math.floor(times.length / 2)], p95: times[Math.floor(times.length * 0.95)], max: times[times.length - 1] }
  })
  console.log(`     scrolling 200 rows: ${frames.n} frames, p50 ${frames.p50.toFixed(1)} ms, p95 ${frames.p95.toFixed(1)} ms, max ${frames.max.toFixed(1)} ms`)
  check(frames.p95 < 34, `a list of 200 rows scrolls smoothly (p95 frame ${frames.p95.toFixed(1)} ms)`)
  await axe(page, 'samverkan-200')

  // The platform operator: every tenant with its usage, a new tenant with its
  // first administrator, and the rules every tenant shares.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('drift@e2e.samverkan.se')
  await page.getByRole('heading', { name: 'Huvudmän', level: 1 }).waitFor()
  const usage = page.locator('section', { has: page.getByRole('heading', { name: 'Huvudmän och användning' }) })
  await usage.getByRole('rowheader', { name: home.name }).waitFor()
  const homePartnerships = Number((await usage.locator('tbody tr', { hasText: home.name }).locator('td').nth(3).innerText()).replace(/\D/g, ''))
  check(homePartnerships > 200, `the operator sees each tenant's usage as counts (${home.name}: ${homePartnerships} partnerships)`)
  check((await page.getByRole('navigation', { name: 'Huvudmeny' }).getByRole('link').allInnerTexts()).join('|') === 'Huvudmän|Regler och växelkurser|Tillgänglighet',
    "the operator's menu holds the tenants and the rules, none of a tenant's pages")
  await axe(page, 'huvudman')
  const newTenant = page.locator('section', { has: page.getByRole('heading', { name: 'Ny huvudman' }) })
  await newTenant.getByLabel('Kod').fill('9999')
  const tenantFields = newTenant.getByRole('group', { name: 'Huvudman', exact: true })
  await tenantFields.getByLabel('Namn', { exact: true }).fill('Ystads kommun')
  await newTenant.getByLabel('Färg').fill('#ffd200')
  await newTenant.getByLabel('Adress', { exact: true }).fill('ystad.example.se')
  await newTenant.getByRole('group', { name: 'Första administratören' }).getByLabel('Namn', { exact: true }).fill('Alva Ek')
  await newTenant.getByLabel('E-postadress').fill('admin@ystad.example.se')
  await newTenant.getByLabel('Lösenord').fill('kort')
  await newTenant.getByRole('button', { name: 'Skapa huvudman' }).click()
  await page.locator('#t-code-note.field-error').waitFor()
  check((await page.locator('#t-code-note').innerText()) === 'Finns inte.' && (await tenantFields.getByLabel('Namn', { exact: true }).inputValue()) === 'Ystads kommun',
    'an unknown kommunkod is told at its field, and what was typed stays')
  await newTenant.getByLabel('Kod').fill('1286')
  await newTenant.getByRole('button', { name: 'Skapa huvudman' }).click()
  await page.locator('#t-admin-password-note.field-error').waitFor()
  check(/12 tecken/.test(await page.locator('#t-admin-password-note').innerText()), "the first administrator's too short password is told at its field")
  await axe(page, 'huvudman-fel')
  await newTenant.getByLabel('Lösenord').fill('ystad-samverkan-2026')
  await newTenant.getByRole('button', { name: 'Skapa huvudman' }).click()
  await page.getByText('Ystads kommun är skapad.').waitFor()
  await usage.getByRole('rowheader', { name: 'Ystads kommun' }).waitFor()
  check(true, 'the operator creates a tenant with its first administrator, and it is listed')
  await sizes(page, 'huvudman')

  await page.getByRole('link', { name: 'Regler och växelkurser' }).click()
  await page.getByRole('heading', { name: 'Regler och växelkurser', level: 1 }).waitFor()
  const rate = page.locator('details', { hasText: 'Ange växelkurs för ett år' })
  await rate.locator('summary').click()
  await rate.getByLabel('År').fill('2026')
  await rate.getByLabel('Kronor per enhet').fill('11,05')
  await rate.getByLabel('Källa').fill('Riksbanken, årsgenomsnitt')
  await rate.getByRole('button', { name: 'Spara' }).click()
  await rate.getByText('Tillagt.').waitFor()
  check(true, "the operator sets a year's exchange rate")
  const rule = page.locator('section.indicator').first()
  const ruleForm = rule.locator('details', { hasText: 'Ändra gränsvärden' })
  await ruleForm.locator('summary').click()
  await ruleForm.getByLabel('Varna vid (% av taket)').fill('75')
  await ruleForm.getByRole('button', { name: 'Spara' }).click()
  await rule.getByText(/varnar vid 75 %/).waitFor()
  check(true, "the operator changes a rule's threshold")
  await axe(page, 'regler')

  // The new tenant's administrator signs in to an empty tenant of their own colour.
  await page.getByRole('button', { name: /Logga ut/ }).click()
  await signIn('admin@ystad.example.se', 'ystad-samverkan-2026')
  await page.getByRole('heading', { name: 'Översikt' }).waitFor()
  await page.locator('header').getByText('Ystads kommun', { exact: true }).waitFor()
  const ystadLook = await headerLook(page)
  check(ystadLook.band === rgb('#ffd200') && ystadLook.background === 'rgb(11, 83, 148)',
    `a light tenant colour is a band above the app's own blue, so the header stays readable (${ystadLook.band} over ${ystadLook.background})`)
  await sizes(page, 'ny-huvudman')
  await page.getByRole('link', { name: 'Samverkan', exact: true }).click()
  await page.getByRole('heading', { name: 'Samverkan', level: 1 }).waitFor()
  await page.getByText('Inget att visa.').waitFor()
  check((await page.locator('tbody tr').count()) === 0, `a new tenant sees none of ${home.name}'s partnerships`)
  await page.getByRole('link', { name: 'Rapporter' }).waitFor()
  await page.goto(base + '/admin')
  await page.getByText(/varnar vid 75 %/).first().waitFor()
  check(await page.getByRole('cell', { name: '11,05' }).isVisible(), "the rules and rates the operator set are every tenant's")
  const look = page.locator('details', { hasText: 'Ändra namn, färg och adress' })
  await look.locator('summary').click()
  await look.getByLabel('Färg').fill('#00634d')
  await look.getByRole('button', { name: 'Spara' }).click()
  await look.getByText('Ändringarna är sparade.').waitFor()
  await page.waitForFunction(() => getComputedStyle(document.querySelector('header')).backgroundColor === 'rgb(0, 99, 77)')
  check(true, "the tenant's administrator changes its colour, and the header wears it")
  const access = page.locator('details', { hasText: 'Låt plattformens operatör läsa era uppgifter' })
  await access.locator('summary').click()
  const tomorrow = new Date(Date.now() + 86400000).toISOString().slice(0, 10)
  await access.getByLabel('Till och med').fill(tomorrow)
  await access.getByRole('button', { name: 'Bevilja' }).click()
  await page.getByText('Plattformens operatör får läsa era uppgifter till').waitFor()
  check(true, 'the administrator lets the platform operator in until tomorrow')
  await axe(page, 'ny-huvudman-admin')

  // The API's documentation page: Try it out reaches /api/v1 and answers JSON.
  const docs = await browser.newPage({ viewport: { width: 1366, height: 900 } })
  await docs.goto(base + '/api/docs/index.html')
  await docs.getByRole('button', { name: /Authorize/ }).first().click()
  const bearer = docs.locator('.auth-container', { hasText: 'bearer' })
  await bearer.locator('input').first().fill(access_token)
  await bearer.getByRole('button', { name: 'Authorize' }).click()
  await docs.getByRole('button', { name: 'Close' }).first().click()
  const op = docs.locator('#operations-organisations-listOrganisations')
  await op.locator('.opblock-summary').first().click()
  await op.getByRole('button', { name: 'Try it out' }).click()
  await op.getByRole('button', { name: 'Execute' }).click()
  const live = op.locator('.live-responses-table')
  await live.locator('tbody .response-col_status').first().waitFor()
  const code = (await live.locator('tbody .response-col_status').first().innerText()).trim()
  const answer = await live.locator('.microlight').first().innerText()
  const url = await op.locator('.request-url').innerText()
  await docs.screenshot({ path: join(shots, 'api-docs.png'), fullPage: false })
  check(code === '200' && url.includes('/api/v1/organisations') && answer.includes('"items"'),
    `Try it out on the API docs page calls /api/v1/organisations and gets JSON (${code})`)
  await docs.close()
} catch (err) {
  console.error(err)
  failures++
  const pages = browser?.contexts().flatMap((c) => c.pages()) ?? []
  if (pages[0]) await pages[0].screenshot({ path: join(shots, 'failure.png'), fullPage: true }).catch(() => {})
} finally {
  await browser?.close()
  await stopServer()
}
console.log(failures ? `${failures} browser check(s) failed; screenshots in ${shots}` : `browser tests passed; screenshots in ${shots}`)
process.exit(failures ? 1 : 0)

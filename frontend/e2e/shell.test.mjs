// End-to-end: the real Svelte UI against the real Go services (wails dev), in
// headless Chromium. The tests share one backend and one fresh data directory,
// so they run in order and each continues where the last one left off.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'

const DATA_DIR = process.env.E2E_DATA_DIR // set by scripts/e2e.sh for the wails dev process
const info = (page) => page.evaluate(() => window.go.app.StatusService.Info())

describe('chase.md shell', () => {
  let app, page
  before(async () => {
    app = await openApp()
    page = app.page
  })
  after(async () => {
    await app?.close()
  })

  test('Info() returns real data from the Go side', async () => {
    const i = await info(page)
    assert.match(i.version, /^\d+\.\d+\.\d+/)
    assert.equal(i.os, 'linux')
    assert.ok(i.schemaVersion >= 1, `schema version ${i.schemaVersion}: migrations ran`)
    assert.match(i.databasePath, /chase\.db$/)
    assert.equal(i.demo, false)
    assert.equal(i.firstRun, true, 'a fresh data directory starts with the welcome screen')
    if (DATA_DIR) assert.equal(i.dataDir, DATA_DIR)
    assert.ok(i.redirectUris.every((u) => u.startsWith('http://localhost:')))
  })

  test('a Go error arrives as {code, message} from the error formatter', async () => {
    const raw = await page.evaluate(() =>
      window.go.app.SettingsService.SetXeroClientID('not-a-client-id').then(() => null, (e) => e.message))
    const err = JSON.parse(raw) // see app/errors.go FormatError
    assert.equal(err.code, 'invalid_input')
    assert.match(err.message, /32 letters and digits/)
  })

  test('first run: “Try the demo” switches to the demo practice', async () => {
    await page.getByRole('heading', { name: 'Welcome to chase.md' }).waitFor()
    await shot(page, '01-welcome-light')
    await page.getByRole('button', { name: /Try the demo/ }).click()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    assert.match(await page.getByTestId('org-status').innerText(), /Demo practice/)
    const i = await info(page)
    assert.equal(i.demo, true)
    assert.match(i.databasePath, /demo\.db$/, 'demo data lives in its own database')
    // The embedded Xero sandbox runs on loopback and answers (unauthorised without a token).
    assert.match(i.sandboxUrl, /^http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${i.sandboxUrl}/connections`)
    assert.ok(res.status < 500, `sandbox answered ${res.status}`)
    await shot(page, '02-clients-demo-light')
  })

  test('every screen is reachable by mouse and shows its empty state or its content', async () => {
    // The demo signs in and syncs by itself, so Clients and the Chase list may
    // already hold the demo's data, and Activity its first sync; the other two
    // start empty in a fresh data directory (this file runs first, see scripts/e2e.sh).
    const screens = [
      ['Chase list', 'Nobody to chase yet', '[data-testid=chase-table]'],
      ['Uploads', 'No uploads yet'],
      ['Watched folders', 'No watched folders'],
      ['Activity', 'Nothing has happened yet', '[data-testid=activity-table]'],
      ['Clients', 'No clients yet', '[data-testid=client-list]'],
    ]
    for (const [nav, empty, content] of screens) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: nav }).click()
      await page.getByRole('heading', { name: nav, level: 1 }).waitFor()
      const emptyState = page.getByRole('heading', { name: empty })
      await (content ? emptyState.or(page.locator(content)) : emptyState).first().waitFor()
    }
  })

  test('keyboard: Tab reaches the navigation, Enter opens, Ctrl+K searches, Ctrl+7 opens Settings', async () => {
    await page.locator('body').click({ position: { x: 5, y: 700 } })
    let label = ''
    for (let i = 0; i < 12 && label !== 'Uploads'; i++) {
      await page.keyboard.press('Tab')
      label = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '')
    }
    assert.equal(label, 'Uploads', 'Tab should reach the Uploads navigation item')
    const ring = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
    assert.equal(ring, 'solid', 'the focused item shows a focus ring')
    await shot(page, '03-keyboard-focus')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'Uploads', level: 1 }).waitFor()

    await page.keyboard.press('Control+k')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'global-search')
    // A name no demo client has: once the demo's first sync is in, the search says so.
    await page.waitForFunction(async () => {
      const s = await window.go.app.ClientsService.SyncStatus()
      return s.connected && !s.running && s.counts.total > 0
    }, null, { timeout: 60_000, polling: 250 })
    await page.keyboard.type('Zyxwvut')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: 'No clients match “Zyxwvut”' }).waitFor()

    await page.keyboard.press('Control+7')
    await page.getByRole('heading', { name: 'About this copy' }).waitFor()
    const i = await info(page)
    assert.equal(await page.getByTestId('about-version').innerText(), i.version)
    assert.doesNotMatch(i.version, /^[0-9a-f]{7,40}(-dirty)?$/, 'a bare commit hash is not a version')
    await page.getByTestId('about-details').locator('summary').click() // the database's internals are under Details
    assert.equal(await page.getByTestId('about-datadir').innerText(), i.dataDir)
    assert.equal(await page.getByTestId('about-schema').innerText(), String(i.schemaVersion))
    await shot(page, '04-settings-demo-light')
  })

  test('the last screen is remembered in the database', async () => {
    await page.getByRole('button', { name: 'Activity' }).click()
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
    await page.waitForFunction(async () => (await window.go.app.SettingsService.Get()).lastScreen === 'activity')
    await page.reload()
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
  })

  test('dark mode follows the OS', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor)
    assert.equal(bg, 'rgb(14, 21, 28)')
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('heading', { name: 'About this copy' }).waitFor()
    await page.mouse.move(700, 500) // no hover highlight in the picture
    await page.waitForTimeout(400) // colour transitions finish
    await shot(page, '05-settings-demo-dark')
    await page.getByRole('button', { name: 'Clients' }).click()
    await page.getByRole('button', { name: 'Sync now' }).first().click() // the top bar shows it: no toast on top
    await page.locator('[data-testid=org-status][data-state=connected], [data-testid=org-status][data-state=syncing]').waitFor()
    await shot(page, '06-clients-sync-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test('leaving the demo returns to the welcome; “Connect to Xero” leads to the client ID', async () => {
    await page.getByRole('button', { name: 'Settings' }).click()
    await page.getByRole('button', { name: 'Leave the demo' }).click()
    await page.getByRole('heading', { name: 'Welcome to chase.md' }).waitFor()
    assert.equal((await info(page)).demo, false)
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.mouse.move(5, 5)
    await page.waitForTimeout(400) // colour transitions finish
    await shot(page, '08-welcome-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    await page.getByRole('button', { name: /Connect to Xero/ }).click()
    const field = page.getByLabel('Xero client ID')
    await field.waitFor()
    assert.equal(await page.evaluate(() => document.activeElement?.id), await field.getAttribute('id'))
    await field.fill('1234')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText(/32 letters and digits \(0–9, A–F\)/).waitFor()
    await shot(page, '07-settings-client-id-error')
    await field.fill('0123456789abcdef0123456789abcdef')
    await page.getByRole('button', { name: 'Save' }).click()
    await page.getByText('Client ID saved.').waitFor()
    const i = await info(page)
    assert.equal(i.clientIdSet, true)
    assert.equal(i.firstRun, false)
  })

  test('no uncaught errors in the page', () => {
    // wails dev's own websocket IPC script (/wails/ipc.js, a browser-only
    // reconnect overlay) throws once per page load; it is not in the desktop app.
    const ours = app.errors.map((e) => e.stack ?? String(e)).filter((s) => !/\/wails\/ipc\.js:/.test(s.split('\n')[1] ?? ''))
    assert.deepEqual(ours, [])
  })
})

// End-to-end: the Xero connection in demo mode against the real Go side: the
// top bar and Settings show the demo organisation, the tenant picker lists the
// demo's organisations, and the Reconnect banner comes and goes.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'


describe('Xero connection (demo)', () => {
  let app, page
  before(async () => {
    app = await openApp()
    page = app.page
    if (!(await go(page, 'StatusService.Info')).demo) {
      await go(page, 'StatusService.SetDemo', true)
      await page.reload()
    }
    await page.waitForFunction(async () => (await window.go.app.AuthService.Status()).state === 'connected',
      null, { timeout: 60_000, polling: 250 })
  })
  after(async () => {
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
  })

  test('the demo connection shows as connected with its organisation', async () => {
    const st = await go(page, 'AuthService.Status')
    assert.equal(st.running, true)
    assert.equal(st.state, 'connected')
    assert.equal(st.orgs[0].name, 'Demo Practice Ltd')
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
    const card = page.getByTestId('connection')
    await card.waitFor()
    assert.equal(await card.getAttribute('data-state'), 'connected')
    assert.equal(await page.getByTestId('conn-org').innerText(), 'Demo Practice Ltd')
    await page.getByTestId('org-status').getByText(/Demo Practice Ltd/).waitFor()
    assert.match(await page.getByTestId('conn-since').innerText(), /\d{4}/)
  })

  test('the tenant picker lists the demo organisations and the practice', async () => {
    const tenants = await go(page, 'AuthService.Tenants')
    const orgs = tenants.filter((t) => t.type === 'organisation')
    assert.ok(orgs.length >= 2, `${orgs.length} demo organisations`)
    const picker = page.getByTestId('tenant-picker')
    for (const t of tenants) await picker.locator(`[data-tenant="${t.name}"]`).waitFor()
    const main = picker.locator('[data-tenant="Demo Practice Ltd"] input[name=org]')
    assert.equal(await main.isChecked(), true, 'the demo organisation holds the clients')
    assert.equal(await picker.locator('input[name=practice]:checked').count(), 1, 'the XPM practice is chosen')
    await picker.scrollIntoViewIfNeeded()
    await shot(page, 'auth-settings-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.mouse.move(5, 790)
    await page.waitForTimeout(400)
    await shot(page, 'auth-settings-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test('Xero refusing the sign-in shows the Reconnect banner; Reconnect clears it', async () => {
    await go(page, 'AuthService.DemoRevoke')
    const banner = page.locator('[data-testid=connection-banner][data-kind=reauth]') // the one connection state's banner
    await banner.waitFor({ timeout: 30_000 })
    assert.match(await banner.innerText(), /Xero needs you to sign in again\. Uploads and syncs are paused/)
    await shot(page, 'auth-reconnect-banner')
    await banner.getByRole('button', { name: 'Reconnect' }).click()
    await banner.waitFor({ state: 'detached', timeout: 30_000 })
    assert.equal((await go(page, 'AuthService.Status')).state, 'connected')
  })
})

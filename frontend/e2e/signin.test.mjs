// End-to-end: signing in to a "real" Xero (the sandbox run as `chase sandbox`,
// with its consent page) from Settings. The sign-in address is offered with a
// Copy button; the person opens it in a browser and allows access; chase.md
// then lands on choosing the organisation (the sandbox grants several) and
// never says "Connected" before one is chosen.
// Runs in its own pass of scripts/e2e.sh (real mode, a keyring, E2E_SANDBOX_URL).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { copyFile, readFile, stat } from 'node:fs/promises'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'

const SANDBOX = process.env.E2E_SANDBOX_URL

describe('Sign in to Xero (real mode against the sandbox)', { skip: !SANDBOX && 'runs in the signin pass of scripts/e2e.sh' }, () => {
  let app, page
  before(async () => {
    app = await openApp()
    page = app.page
    await go(page, 'SettingsService.CompleteFirstRun')
    await page.reload()
    await page.waitForFunction(() => !!window.go?.app?.StatusService, null, { timeout: 30_000 })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Settings' }).click()
    await page.getByTestId('connection').waitFor()
  })
  after(async () => {
    await go(page, 'AuthService.CancelSignIn').catch(() => {})
    await app?.close()
  })

  test('the sign-in address is shown with Copy; consenting there lands on the organisation choice', async () => {
    const st = await go(page, 'AuthService.Status')
    assert.equal(st.running, true, `backend running (${st.reason ?? ''})`)
    assert.equal(st.state, 'signed-out')
    // The build carries chase.md's own Xero app: no client ID to type, the
    // form for one's own app stays folded under Advanced.
    const info = await go(page, 'StatusService.Info')
    assert.equal(info.builtinApp, true, 'built with chase.md\'s own Xero app')
    const own = page.getByTestId('own-app')
    await own.waitFor()
    assert.equal(await own.getAttribute('open'), null, 'Advanced: use my own Xero app is folded')
    await page.getByRole('button', { name: 'Sign in to Xero' }).click()

    // Whether or not a browser came up, the address appears within a few seconds.
    const link = page.getByTestId('signin-link')
    await link.waitFor({ timeout: 15_000 })
    const url = await page.getByTestId('signin-url').inputValue()
    assert.ok(url.startsWith(`${SANDBOX}/identity/connect/authorize?`), url)
    assert.match(url, /code_challenge_method=S256/)
    await link.getByRole('button', { name: 'Copy' }).click()
    await link.getByRole('button', { name: 'Copied' }).waitFor()
    await shot(page, 'signin-copy-link')

    // The person pastes it into their browser and allows access.
    const browserTab = await page.context().newPage()
    await browserTab.goto(url)
    await browserTab.getByRole('button', { name: 'Allow access' }).click()
    await browserTab.waitForURL(/^http:\/\/(localhost|127\.0\.0\.1):5368[234]\/callback/)
    await browserTab.close()

    // Back in chase.md: signed in, choosing the organisation.
    const picker = page.getByTestId('tenant-picker')
    await page.waitForFunction(() => document.querySelector('[data-testid=tenant-picker]')?.dataset.needsChoice === 'true',
      null, { timeout: 30_000 })
    const card = page.getByTestId('connection')
    assert.match(await card.innerText(), /Signed in — choose your organisation/)
    assert.doesNotMatch(await page.locator('.section-head').first().innerText(), /\bConnected\b/)
    assert.equal(await page.getByTestId('conn-org').innerText(), 'None chosen yet')
    const orgs = picker.locator('input[name=org]')
    await orgs.first().waitFor()
    assert.ok((await orgs.count()) >= 2, 'the sandbox grants several organisations')
    assert.equal(await picker.locator('input[name=org]:checked').count(), 0, 'nothing chosen for the person')
    await picker.scrollIntoViewIfNeeded()
    await shot(page, 'signin-choose-organisation')

    // Choosing one finishes the connection.
    const tenants = (await go(page, 'AuthService.Tenants')).filter((t) => t.type === 'organisation')
    const pick = tenants.find((t) => t.name === 'Demo Practice Ltd') ?? tenants[0]
    await picker.locator(`[data-tenant="${pick.name}"] input[name=org]`).check()
    await picker.getByRole('button', { name: 'Save choice' }).click()
    await page.waitForFunction(async () => {
      const s = await window.go.app.AuthService.Status()
      return s.state === 'connected' && !s.needsChoice
    }, null, { timeout: 30_000, polling: 250 })
    await page.getByTestId('conn-org').getByText(pick.name).waitFor()
    assert.match(await page.locator('.section-head').first().innerText(), /Connected/)
    await shot(page, 'signin-connected')
  })

  test('About says a newer chase.md is out, read from the build\'s signed release feed', async () => {
    const about = page.getByTestId('about')
    await about.scrollIntoViewIfNeeded()
    const update = page.getByTestId('about-update')
    await update.getByText('chase.md 9.9.9 is out').waitFor({ timeout: 30_000 })
    await update.getByRole('button', { name: 'Download' }).waitFor()
    await shot(page, 'settings-update-available')
  })

  test('a tampered feed and a replayed old one are refused in words, nothing offered', async () => {
    const dir = process.env.E2E_FEED_DIR
    assert.ok(dir, 'E2E_FEED_DIR from scripts/e2e.sh')
    const nav = page.getByRole('navigation', { name: 'Main' })
    for (const bad of ['tampered', 'stale']) {
      await copyFile(path.join(dir, `${bad}.json`), path.join(dir, 'feed.json'))
      await copyFile(path.join(dir, `${bad}.json.sig`), path.join(dir, 'feed.json.sig'))
      // Settings checks the feed each time it opens.
      await nav.getByRole('button', { name: 'Clients' }).click()
      await nav.getByRole('button', { name: 'Settings' }).click()
      const update = page.getByTestId('about-update')
      await update.getByText(/could not check for a newer version/).waitFor({ timeout: 30_000 })
      assert.doesNotMatch(await update.innerText(), /is out/, `${bad} feed offered nothing`)
      assert.equal(await update.getByRole('button', { name: 'Download' }).count(), 0)
    }
    await shot(page, 'settings-update-refused')
    await copyFile(path.join(dir, 'good.json'), path.join(dir, 'feed.json'))
    await copyFile(path.join(dir, 'good.json.sig'), path.join(dir, 'feed.json.sig'))
  })

  test('Settings › This computer: start at sign-in writes the autostart entry; keep running offers Quit', async () => {
    const section = page.getByTestId('desktop-settings')
    await section.scrollIntoViewIfNeeded()
    await section.getByText('Show notifications').waitFor()
    assert.equal(await page.getByTestId('desktop-notifications').isChecked(), true, 'notifications are on by default')
    assert.equal(await page.getByTestId('desktop-keep-running').isChecked(), false, 'keep running is off by default')
    // scripts/e2e.sh gives the app HOME=$tmp/home beside its data folder $tmp/data/chase.md.
    const entry = path.resolve(process.env.E2E_DATA_DIR, '../../home/.config/autostart/chase-md.desktop')
    await page.getByTestId('desktop-autostart').check()
    await page.waitForFunction(async () => (await window.go.app.DesktopService.Get()).startAtLogin, null, { timeout: 10_000 })
    assert.match(await readFile(entry, 'utf8'), /^Exec=.*chase\S* --background$/m)
    await page.getByTestId('desktop-keep-running').check()
    await section.getByRole('button', { name: 'Quit chase.md' }).waitFor()
    assert.match(await section.innerText(), /no icon in the system tray: open it again from your applications menu/)
    await shot(page, 'settings-this-computer')
    await page.getByTestId('desktop-autostart').uncheck()
    await page.getByTestId('desktop-keep-running').uncheck()
    await page.waitForFunction(async () => !(await window.go.app.DesktopService.Get()).startAtLogin, null, { timeout: 10_000 })
    await assert.rejects(stat(entry), /ENOENT/)
  })
})

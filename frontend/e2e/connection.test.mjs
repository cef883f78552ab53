// End-to-end: one connection state, shown the same everywhere, when Xero
// can't be reached — from the start and after a good sign-in — and the way
// back. Runs in its own pass (scripts/e2e.sh "offline"): the demo Xero starts
// with every API call dropped (CHASE_E2E_DEMO_FAULTS), as with a closed port
// in CHASE_XERO_API_URL, while sign-in works. The test mends and breaks it
// through POST /_sandbox/faults, which only e2e builds answer.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
const RAW = /dial tcp|connection refused|EOF|send this to support|127\.0\.0\.1:\d+|goroutine/

/** Sets the demo Xero's faults ("" mends it). */
async function faults(page, spec) {
  const info = await go(page, 'StatusService.Info')
  const resp = await fetch(`${info.sandboxUrl}/_sandbox/faults?spec=${encodeURIComponent(spec)}`, { method: 'POST' })
  assert.equal(resp.status, 200, `fault control: ${await resp.text()}`)
}

/** The state every place shows, read at one moment. */
function everywhere(page) {
  return page.evaluate(() => ({
    top: document.querySelector('[data-testid=org-status]')?.getAttribute('data-state'),
    topText: document.querySelector('[data-testid=org-status]')?.textContent?.trim(),
    banner: document.querySelector('[data-testid=connection-banner]')?.getAttribute('data-kind') ?? null,
    message: document.querySelector('[data-testid=connection-message]')?.textContent?.trim() ?? null,
    spinning: !!document.querySelector('[data-testid=sync-progress]'),
    body: document.body.innerText,
  }))
}

async function unreachableEverywhere(page, where) {
  const s = await everywhere(page)
  assert.equal(s.top, 'unreachable', `${where}: top bar ${s.top}`)
  assert.match(s.topText, /Can't reach Xero/, `${where}: top bar says ${s.topText}`)
  assert.equal(s.banner, 'unreachable', `${where}: banner ${s.banner}`)
  assert.match(s.message, /can't reach Xero/, `${where}: banner says ${s.message}`)
  assert.equal(s.spinning, false, `${where}: a sync spinner while Xero can't be reached`)
  assert.doesNotMatch(s.body, RAW, `${where}: a raw error on screen`)
  assert.doesNotMatch(s.body, /Connected to Xero|No Xero organisation is chosen yet/, `${where}: a contradicting state`)
  return s
}

describe('One connection state (demo Xero unreachable)', () => {
  let app, page, dir

  before(async () => {
    app = await openApp()
    page = app.page
    dir = await mkdtemp(path.join(tmpdir(), 'chase-e2e-conn-'))
  })

  after(async () => {
    await faults(page, '').catch(() => {})
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('an error toast clears itself once its cause clears', async () => {
    await page.getByRole('button', { name: /Connect to Xero/ }).click()
    await page.getByLabel('Xero client ID').waitFor()
    // Sync now with no Xero app yet: the error names the fix.
    await page.getByRole('button', { name: 'Sync now' }).first().click()
    const err = page.getByTestId('toast').filter({ hasText: "Enter your Xero app's client ID" })
    await err.waitFor()
    assert.equal(await page.getByTestId('toast').count(), 1, 'one toast for one action')
    await shot(page, 'conn-01-toast-error')
    await page.getByLabel('Xero client ID').fill('0123456789ABCDEF0123456789ABCDEF')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByTestId('toast').filter({ hasText: 'Client ID saved.' }).waitFor()
    await err.waitFor({ state: 'detached' })
    await shot(page, 'conn-02-toast-cleared')
  })

  test('Xero unreachable from the start: one state on every screen, never green, never spinning', async () => {
    await page.getByRole('button', { name: 'Try the demo' }).click()
    await page.locator('[data-testid=connection-banner][data-kind=unreachable]').waitFor({ timeout: 60_000 })
    await nav(page, 'Clients')
    await unreachableEverywhere(page, 'Clients')
    await page.mouse.move(5, 700)
    await shot(page, 'conn-03-unreachable-clients')

    await nav(page, 'Chase list')
    await page.getByRole('heading', { name: 'Chase list', level: 1 }).waitFor()
    await unreachableEverywhere(page, 'Chase list')
    await shot(page, 'conn-04-unreachable-chase')

    await nav(page, 'Settings')
    const badge = page.locator('#xero-h + *') // the section's badge follows the same state
    await page.getByTestId('settings-connection').waitFor()
    const s = await unreachableEverywhere(page, 'Settings')
    const settingsSays = await page.getByTestId('settings-connection').innerText()
    assert.match(settingsSays, /can't reach Xero/)
    assert.match(await badge.innerText(), /Can't reach Xero/)
    assert.match(s.message, /retrying at \d\d:\d\d|keeps trying/)

    // Copy diagnostics: the connection state and the last problems, never a token.
    await page.getByTestId('copy-diagnostics').click()
    const diag = await page.getByTestId('diagnostics').innerText()
    assert.match(diag, /Connection: unreachable/)
    assert.match(diag, /Data folder: /)
    assert.doesNotMatch(diag, /eyJ[A-Za-z0-9_-]{8,}\.|Bearer [A-Za-z0-9]|refresh_token"?\s*[:=]\s*"?[A-Za-z0-9]/)
    assert.doesNotMatch(diag, /Version [0-9a-f]{7}\b/)
    await page.mouse.move(5, 700)
    await shot(page, 'conn-05-unreachable-settings')
  })

  test('then Xero answers again: Retry now brings everything back', async () => {
    await faults(page, '')
    await page.getByTestId('retry-now').click()
    await page.locator('[data-testid=org-status][data-state=connected]').waitFor({ timeout: 60_000 })
    assert.equal(await page.getByTestId('connection-banner').count(), 0)
    await nav(page, 'Clients')
    await page.getByTestId('client-list').waitFor({ timeout: 60_000 })
    const s = await everywhere(page)
    assert.match(s.top, /^(connected|syncing)$/) // a sync may run now that Xero answers
    assert.doesNotMatch(s.body, RAW)
    await page.mouse.move(5, 700)
    await shot(page, 'conn-06-recovered-clients')
  })

  test('after a good sign-in: Xero stops answering, an upload says it waits for the retry, then all recovers', async () => {
    const [client] = await go(page, 'UploadsService.FindClients', '', 1)
    const file = path.join(dir, 'VAT return Q4.pdf')
    await writeFile(file, Buffer.from('%PDF-1.4\n% a small document for the retry test\n%%EOF\n'))
    await faults(page, '/*.xro/*=drop')
    await page.getByRole('button', { name: 'Sync now' }).first().click()
    await page.locator('[data-testid=connection-banner][data-kind=unreachable]').waitFor({ timeout: 60_000 })
    await unreachableEverywhere(page, 'Clients after sign-in')

    await page.locator(`[data-drop-client-id="${client.id}"]`).first().waitFor()
    const outcome = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [file, client.id])
    const id = outcome.items[0].id
    await nav(page, 'Uploads')
    const row = page.locator(`[data-testid=upload-row][data-id="${id}"]`)
    await row.getByTestId('upload-state').filter({ hasText: /Waiting for Xero|trying again at \d\d:\d\d/ }).waitFor({ timeout: 60_000 })
    assert.doesNotMatch(await row.innerText(), /Uploading 100%/)
    await page.mouse.move(5, 700)
    await shot(page, 'conn-07-upload-waiting')

    await faults(page, '')
    await page.getByTestId('retry-now').click()
    await row.and(page.locator('[data-state=done]')).waitFor({ timeout: 90_000 })
    await page.locator('[data-testid=org-status][data-state=connected]').waitFor({ timeout: 60_000 })
    assert.equal(await page.getByTestId('connection-banner').count(), 0)
    await page.mouse.move(5, 700)
    await shot(page, 'conn-08-upload-recovered')
  })

  test('the shell never scrolls away: only the content scrolls', async () => {
    await nav(page, 'Clients')
    await page.getByTestId('client-list').waitFor()
    await page.mouse.move(640, 790) // the window's bottom edge
    await page.mouse.wheel(0, 2000)
    await page.waitForTimeout(300)
    const y = await page.evaluate(() => ({ doc: document.scrollingElement.scrollTop, app: document.getElementById('app').scrollTop,
      top: document.querySelector('.topbar').getBoundingClientRect().top }))
    assert.deepEqual(y, { doc: 0, app: 0, top: 0 })
  })
})

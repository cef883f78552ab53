// End-to-end: the Chase list area against the real Go side in demo mode —
// sync the demo practice, map job states, confirm a client link, see the chase
// list and export it. Puts the app into demo mode itself and leaves it as it
// found it (real mode, demo's last screen "clients", no chase states ticked)
// so other files start from a known state.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { searchFor } from './demo.mjs'

const chase = (page, method, ...args) =>
  page.evaluate(([m, a]) => window.go.app.ChaseService[m](...a), [method, args])

async function until(fn, what, ms = 90_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn().catch(() => null)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

// Toasts fade on their own; dismiss them so screenshots show the screen.
async function quiet(page) {
  for (const b of await page.getByRole('button', { name: 'Dismiss' }).all()) await b.click().catch(() => {})
  await page.mouse.move(5, 790)
  await page.waitForTimeout(300) // colour transitions finish
}

async function openChase(page, tab) {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Chase list' }).click()
  await page.getByRole('heading', { name: 'Chase list', level: 1 }).waitFor()
  if (tab) await page.getByRole('tab', { name: tab }).click()
}

describe('chase list', () => {
  let app, page, wasDemo
  before(async () => {
    app = await openApp()
    page = app.page
    wasDemo = (await page.evaluate(() => window.go.app.StatusService.Info())).demo
    if (!wasDemo) await page.evaluate(() => window.go.app.StatusService.SetDemo(true))
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  })
  after(async () => {
    if (page) {
      // Leave the demo as other files expect to find it.
      const states = await chase(page, 'States').catch(() => [])
      if (states.length) await chase(page, 'SaveMapping', states.map((s) => ({ ...s, chase: false, moveTo: '' }))).catch(() => {})
      await page.evaluate(() => window.go.app.SettingsService.SetLastScreen('clients')).catch(() => {})
      if (!wasDemo) await page.evaluate(() => window.go.app.StatusService.SetDemo(false)).catch(() => {})
    }
    await app?.close()
  })

  test('the demo practice syncs from Practice Manager', async () => {
    const st = await until(async () => {
      const s = await chase(page, 'Status')
      if (!s.xpm) await chase(page, 'SyncNow').catch(() => {})
      return s.xpm && s.states > 0 && s
    }, 'the XPM sync')
    assert.equal(st.noPractice, false)
    assert.ok(st.practice, 'a practice tenant is connected')
    // Start from the guesses whatever an earlier run saved: a person ticks what reads as waiting.
    const states = await chase(page, 'States')
    assert.ok(states.length >= 4, `${states.length} states`)
  })

  test('map states: tick one more, untick one, save', async () => {
    // A known starting point: the first two present states with jobs are chase states.
    let states = await chase(page, 'States')
    const withJobs = states.filter((s) => s.present && s.jobs > 0)
    assert.ok(withJobs.length >= 3, 'the demo practice has jobs in several states')
    await chase(page, 'SaveMapping', states.map((s) => ({ ...s, chase: s.name === withJobs[0].name || s.name === withJobs[1].name, moveTo: '' })))

    await openChase(page, 'Job states')
    const table = page.getByTestId('states-table')
    await table.waitFor()
    await quiet(page)
    await shot(page, 'chase-states-light')
    const tick = page.getByLabel(`${withJobs[2].name} means we're waiting on the client`)
    const untick = page.getByLabel(`${withJobs[0].name} means we're waiting on the client`)
    assert.equal(await tick.isChecked(), false)
    assert.equal(await untick.isChecked(), true)
    await tick.check()
    await untick.uncheck()
    // The next state, picked by name: the code sent to XPM is XPM's own, never typed.
    await page.getByLabel(`Move ${withJobs[1].name} jobs to`).selectOption(withJobs[0].name)
    assert.equal(await page.getByLabel(/Interface Code/).count(), 0, 'no Interface Code to type')
    await page.getByRole('button', { name: 'Save job states' }).click()
    await page.getByText('Job states saved').waitFor()

    states = await chase(page, 'States')
    const by = Object.fromEntries(states.map((s) => [s.name, s]))
    assert.equal(by[withJobs[2].name].chase, true)
    assert.equal(by[withJobs[0].name].chase, false)
    assert.equal(by[withJobs[1].name].chase, true)
    assert.equal(by[withJobs[1].name].moveTo, withJobs[0].name)
    assert.ok(by[withJobs[0].name].codeKnown, 'the demo practice gives the code of the state moved to')
    assert.ok(states.every((s) => !s.guessed), 'saved states are no longer guesses')
  })

  test('confirm a suggested client link', async () => {
    await openChase(page, 'Client links')
    await page.getByTestId('links-list').or(page.getByRole('heading', { name: 'No links to review' })).first().waitFor()
    await quiet(page)
    await shot(page, 'chase-links-light')
    const before = (await chase(page, 'Links', { Status: '', Text: '' })).counts
    await page.getByRole('button', { name: /^Suggested/ }).click()
    const first = page.getByTestId('links-list').getByRole('button', { name: /^Confirm / }).first()
    const label = await first.getAttribute('aria-label')
    await first.click()
    await page.getByText(/is linked to/).first().waitFor()
    const after = (await chase(page, 'Links', { Status: '', Text: '' })).counts
    assert.equal(after.confirmed, before.confirmed + 1, `${label}: one more confirmed link`)
    assert.equal(after.auto, before.auto - 1)
    await page.getByRole('button', { name: /^Confirmed/ }).click()
    await page.locator('[data-status="confirmed"]').first().waitFor()
  })

  test('the chase list shows the jobs in the mapped states, sorts and filters', async () => {
    await openChase(page, 'Chase list')
    const table = page.getByTestId('chase-table')
    await table.waitFor()
    const list = await chase(page, 'List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false })
    assert.ok(list.rows.length > 0, 'someone to chase')
    const mapped = new Set((await chase(page, 'States')).filter((s) => s.chase).map((s) => s.name))
    assert.ok(list.rows.every((r) => mapped.has(r.state)), 'every row is in a mapped state')
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=chase-table]')?.dataset.total) === n, list.rows.length)
    assert.match(await page.getByTestId('chase-counts').innerText(), new RegExp(`^${list.rows.length} jobs? · ${list.clients} clients?`))

    // Sort by client with the keyboard: Enter on the header.
    const header = table.getByRole('columnheader', { name: /Client/ })
    await header.getByRole('button').focus()
    await page.keyboard.press('Enter')
    assert.equal(await header.getAttribute('aria-sort'), 'ascending')
    const names = await table.locator('.window .client').allInnerTexts()
    const sorted = [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true }))
    assert.deepEqual(names, sorted)
    await page.keyboard.press('Enter')
    assert.equal(await header.getAttribute('aria-sort'), 'descending')

    // Filter by the first client's name.
    const who = list.rows[0].clientName
    await page.getByRole('searchbox', { name: 'Filter' }).fill(who)
    await page.waitForFunction((n) => Number(document.querySelector('[data-testid=chase-table]')?.dataset.total) !== n, list.rows.length).catch(() => {})
    const shown = Number(await table.getAttribute('data-total'))
    assert.equal(shown, list.rows.filter((r) => [r.clientName, r.contactName, r.jobId, r.jobName, r.state, r.email, r.phone].join('\0').toLowerCase().includes(who.toLowerCase())).length)
    await page.getByRole('searchbox', { name: 'Filter' }).fill('')
    await quiet(page)
    await shot(page, 'chase-list-light')

    // Copy chase email: the editable template and its preview.
    await table.getByRole('button', { name: /^Copy chase email for / }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByTestId('email-subject').waitFor()
    assert.match(await dialog.getByTestId('email-subject').innerText(), /Documents needed for /)
    assert.ok(!(await dialog.getByLabel('Email').inputValue()).includes('{{'), 'no template code on screen')
    await quiet(page)
    await shot(page, 'chase-email-light')
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })

  test('export the chase list as chase.md and CSV', async () => {
    // The app writes where the native save dialog says; under wails dev in
    // the demo, scripts/e2e.sh's CHASE_EXPORT_DIR stands in for the dialog.
    const md = await chase(page, 'ExportMarkdown')
    assert.equal(path.dirname(md), process.env.CHASE_EXPORT_DIR)
    const text = await readFile(md, 'utf8')
    const list = await chase(page, 'List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false })
    assert.match(text, /^# Chase list — /)
    for (const r of list.rows.slice(0, 5)) assert.ok(text.includes(r.jobId), `${r.jobId} in chase.md`)
    const csv = await chase(page, 'ExportCSV')
    const lines = (await readFile(csv, 'utf8')).trim().split('\r\n')
    assert.equal(lines.length, list.rows.length + 1)
  })

  test('the client page says the client is on the chase list, for which jobs, last chased', async () => {
    const list = await chase(page, 'List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false })
    const row = list.rows.find((r) => r.contactId && r.jobId)
    assert.ok(row, 'a linked client on the chase list')
    const info = await page.evaluate((id) => window.go.app.ClientsService.ChaseInfo(id), row.contactId)
    assert.equal(info.onList, true)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clients' }).click()
    await searchFor(page, row.contactName)
    await page.locator(`[data-testid=client-list] [data-drop-client-id="${row.contactId}"]`).first().click()
    const box = page.getByTestId('client-chase')
    await box.waitFor()
    const text = await box.innerText()
    assert.match(text, /On the chase list/)
    assert.ok(text.includes(row.jobId), `${row.jobId} named on the client page`)
    assert.match(await page.getByTestId('client-last-chased').innerText(), /^(never|\d{1,2} \w{3} \d{4})$/)
    await quiet(page)
    await shot(page, 'chase-client-page-light')
  })

  test('dark mode: the three views', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.mouse.move(5, 790)
    await openChase(page, 'Chase list')
    await page.getByTestId('chase-table').waitFor()
    await quiet(page)
    await shot(page, 'chase-list-dark')
    await page.getByRole('tab', { name: 'Job states' }).click()
    await page.getByTestId('states-table').waitFor()
    await quiet(page)
    await shot(page, 'chase-states-dark')
    await page.getByRole('tab', { name: 'Client links' }).click()
    await page.getByRole('heading', { name: 'Practice Manager clients and their Xero contacts' }).waitFor()
    await quiet(page)
    await shot(page, 'chase-links-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    // The Wails dev runtime's own ipc.js may throw while a reload reconnects; anything else is ours.
    const ours = app.errors.filter((e) => !String(e.stack ?? '').includes('/wails/ipc.js'))
    assert.deepEqual(ours, [], 'no page errors')
  })
})

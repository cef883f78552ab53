// End-to-end: the Chase list of a practice of 10,000 demo clients and its
// thousands of jobs, on a fresh install. scripts/e2e.sh runs this file in its
// `big` pass (CHASE_DEMO_CONTACTS=10000). It prints the list's timings as bench
// lines, saves artifacts/e2e/chase-10k-<width>-<light|dark>.png at three window
// sizes, and checks: ageing is not zero on day one, the sure links confirm in
// one action, bulk mark chased, and a job move that works and takes the job
// off the list (after a refusal in words while moves are off).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'

const chase = (page, method, ...args) => go(page, `ChaseService.${method}`, ...args)
const list = (page) => chase(page, 'List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false })
const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name }).click()
const bench = (name, value, unit, note = '') => console.log(`bench: e2e.chase10k.${name} ${typeof value === 'number' ? Math.round(value) : value} ${unit}${note ? ` (${note})` : ''}`)

async function until(fn, what, ms = 180_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn().catch(() => null)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** A sign-in starts the contact sync, then Practice Manager's: wait for both to finish. */
async function settled(page, since) {
  await new Promise((r) => setTimeout(r, 2000))
  await until(async () => {
    const s = await go(page, 'ClientsService.SyncStatus')
    const c = await chase(page, 'Status')
    return !s.running && c.xpm && Date.parse(c.lastSync) >= since
  }, 'the syncs after a sign-in')
}

async function quiet(page) {
  for (const b of await page.getByRole('button', { name: 'Dismiss' }).all()) await b.click().catch(() => {})
  await page.mouse.move(2, 2)
  await page.waitForTimeout(300)
}

async function openChaseTab(page, tab) {
  await nav(page, 'Chase list')
  await page.getByRole('heading', { name: 'Chase list', level: 1 }).waitFor()
  await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click()
}

describe('Chase list (10,000 demo clients)', () => {
  let app, page, dir
  before(async () => {
    assert.ok(Number(process.env.CHASE_DEMO_CONTACTS ?? 0) >= 10_000, 'run with CHASE_DEMO_CONTACTS=10000 (scripts/e2e.sh does)')
    app = await openApp()
    page = app.page
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'])
    dir = await mkdtemp(path.join(tmpdir(), 'chase10k-'))
    if (!(await go(page, 'StatusService.Info')).demo) {
      await go(page, 'StatusService.SetDemo', true)
      await page.reload()
    }
    await page.waitForFunction(() => !!window.go?.app?.ChaseService, null, { timeout: 30_000 })
    // The contact sync, then Practice Manager's jobs.
    await until(async () => {
      const s = await chase(page, 'Status')
      if (!s.xpm) await chase(page, 'SyncNow').catch(() => {})
      return s.xpm && s.states > 0 && s.chaseStates > 0
    }, 'the first Practice Manager sync')
  })
  after(async () => {
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('first visit: rows at once, the whole list, ageing not zero on day one', async () => {
    await page.reload() // nothing of the chase list in memory yet
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    const t0 = Date.now()
    await nav(page, 'Chase list')
    await page.locator('[data-testid=chase-table] .window .row').first().waitFor({ timeout: 60_000 })
    const first = Date.now() - t0
    // Whole list usable: scroll to the very end and see its last row drawn.
    const whole = await page.evaluate(async (t0) => {
      const table = () => document.querySelector('[data-testid=chase-table]')
      while (table().dataset.partial !== 'false') await new Promise((r) => requestAnimationFrame(r))
      const vp = document.querySelector('[data-testid=chase-rows]')
      vp.scrollTop = vp.scrollHeight
      const n = Number(document.querySelector('[data-testid=chase-table]').dataset.total)
      while (!document.querySelector(`[data-row="${n - 1}"]`)) await new Promise((r) => requestAnimationFrame(r))
      return Date.now() - t0
    }, t0)
    // The Go side's share: the same two calls the screen makes, timed from the page.
    const goMs = await page.evaluate(async () => {
      const t = performance.now()
      await window.go.app.ChaseService.Status()
      const s = performance.now()
      await window.go.app.ChaseService.List({ sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false, offset: 0, limit: 0 })
      return [s - t, performance.now() - s]
    })
    bench('go_status_ms', goMs[0], 'ms', 'ChaseService.Status from the page, list already built')
    bench('go_list_ms', goMs[1], 'ms', 'ChaseService.List of every row from the page, list already built')
    const l = await list(page)
    assert.ok(l.rows.length >= 1000, `${l.rows.length} jobs on the chase list of a 10,000-client practice`)
    assert.equal(Number(await page.getByTestId('chase-table').getAttribute('data-total')), l.rows.length)
    const dom = await page.locator('[data-testid=chase-table] .window .row').count()
    bench('first_rows_ms', first, 'ms', `goal 300; fresh page, ${l.rows.length} jobs, incl. the Go side building the list`)
    bench('whole_list_ms', whole, 'ms', 'goal 1000; click to the last row drawn')
    bench('dom_rows', dom, 'rows')
    assert.ok(dom > 0 && dom < 80, `${dom} rows in the DOM for ${l.rows.length} jobs`)

    // Second visit: from the store, at once.
    await nav(page, 'Clients')
    await page.getByTestId('client-list').waitFor()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=client-list]')?.dataset.total) > 0, null, { timeout: 60_000 })
    const t1 = Date.now()
    await nav(page, 'Chase list')
    await page.locator('[data-testid=chase-table] .window .row').first().waitFor()
    bench('revisit_rows_ms', Date.now() - t1, 'ms', 'kept in memory, refreshed on events')

    // Ageing on a fresh install: counted from XPM's dates, not "0 days" for everyone.
    const aged = l.rows.filter((r) => r.ageDays > 0).length
    assert.ok(aged > l.rows.length / 2, `${aged} of ${l.rows.length} jobs have a non-zero age on day one`)
    assert.ok(l.rows.every((r) => r.ageBasis && r.ageLabel), 'every row says what its age counts from')
    const texts = await page.locator('[data-testid=chase-table] .window .c-age').allInnerTexts()
    assert.ok(texts.some((t) => /\d+ days? (since start|overdue)|Waiting \d+ days?|First seen \d+ days?/.test(t) && !/^Waiting 0 days$/.test(t)), texts.slice(0, 5).join(' | '))
    assert.ok(texts.every((t) => t.trim() !== ''), 'no empty ageing cell')
  })

  test('filters and sorts in memory; copy email is instant', async () => {
    const table = page.getByTestId('chase-table')
    const total = Number(await table.getAttribute('data-total'))
    const one = (await list(page)).rows.find((r) => r.clientName.split(' ').length > 1)
    const word = one.clientName.split(' ')[0]
    const filterMs = await page.evaluate(async (q) => {
      const input = document.querySelector('[data-testid=chase-table]').closest('section').querySelector('input[type=search]')
      const before = document.querySelector('[data-testid=chase-table]').dataset.total
      const t0 = performance.now()
      input.value = q
      input.dispatchEvent(new Event('input', { bubbles: true }))
      while (document.querySelector('[data-testid=chase-table]').dataset.total === before) await new Promise((r) => requestAnimationFrame(r))
      return performance.now() - t0
    }, word)
    const n = Number(await table.getAttribute('data-total'))
    assert.ok(n > 0 && n < total, `“${word}” narrows ${total} jobs to ${n}`)
    bench('filter_ms', filterMs, 'ms', `goal 100; to the next frame; in-page ${await table.getAttribute('data-sort-ms')} ms`)
    await page.getByRole('searchbox', { name: 'Filter' }).fill('')
    await page.waitForFunction((t) => Number(document.querySelector('[data-testid=chase-table]').dataset.total) === t, total)

    const sortMs = await page.evaluate(async () => {
      const h = [...document.querySelectorAll('[data-testid=chase-table] [role=columnheader]')].find((e) => e.textContent.trim().startsWith('Client'))
      const t0 = performance.now()
      h.querySelector('button').click()
      while (h.getAttribute('aria-sort') !== 'ascending') await new Promise((r) => requestAnimationFrame(r))
      await new Promise((r) => requestAnimationFrame(r))
      return performance.now() - t0
    })
    bench('sort_ms', sortMs, 'ms', `goal 100; ${total} jobs by client; in-page ${await table.getAttribute('data-sort-ms')} ms`)
    const names = await table.locator('.window .client').allInnerTexts()
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base', numeric: true })))
    // Back to the default: most in need of a nudge first.
    await table.getByRole('columnheader', { name: /Ageing/ }).getByRole('button').click()
    assert.equal(await table.getByRole('columnheader', { name: /Ageing/ }).getAttribute('aria-sort'), 'ascending')

    const t0 = Date.now()
    await table.getByRole('button', { name: /^Copy chase email for / }).first().click()
    const dialog = page.getByRole('dialog')
    await dialog.getByTestId('email-subject').waitFor()
    const openMs = Date.now() - t0
    const body = await dialog.getByLabel('Email').inputValue()
    assert.ok(!body.includes('{{'), 'no template code on screen')
    assert.match(body, /\{client first name\}/)
    assert.ok(!(await dialog.getByTestId('email-body').innerText()).includes('{'), 'the preview fills every placeholder')
    await dialog.getByLabel(/Mark .* as chased today/).uncheck()
    const t1 = Date.now()
    await dialog.getByRole('button', { name: 'Copy email' }).click()
    await page.getByText(/^Chase email for .* copied/).waitFor()
    bench('copy_email_ms', openMs + (Date.now() - t1), 'ms', `open ${openMs} ms + copy ${Date.now() - t1} ms`)
  })

  test('three window sizes, light and dark: nothing cut off', async () => {
    await openChaseTab(page, 'Chase list')
    for (const [w, h] of [[1024, 700], [1440, 900], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h })
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme })
        await quiet(page)
        await shot(page, `chase-10k-${w}x${h}-${scheme}`)
      }
      // Last chased and Copy email inside the window; the tabs on one line; one-line rows.
      const last = await page.getByRole('columnheader', { name: /Last chased/ }).boundingBox()
      const copy = await page.getByRole('button', { name: /^Copy chase email for / }).first().boundingBox()
      assert.ok(last && last.x + last.width <= w, `${w}px: Last chased heading visible (${JSON.stringify(last)})`)
      assert.ok(copy && copy.x + copy.width <= w, `${w}px: Copy email visible (${JSON.stringify(copy)})`)
      const ys = await page.getByRole('tab').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)))
      assert.equal(new Set(ys).size, 1, `${w}px: the tabs stay on one line`)
      const rowH = await page.locator('[data-testid=chase-table] .window .row').first().evaluate((e) => e.getBoundingClientRect().height)
      assert.ok(rowH >= 36 && rowH <= 44, `${w}px: rows are ${rowH}px`)
      // The heading stays put when the rows scroll.
      const head = await page.locator('[data-testid=chase-table] .head').boundingBox()
      await page.locator('[data-testid=chase-rows]').evaluate((e) => { e.scrollTop = 4000 })
      await page.waitForTimeout(100)
      assert.deepEqual(await page.locator('[data-testid=chase-table] .head').boundingBox(), head, `${w}px: the column headings stay put`)
      await page.locator('[data-testid=chase-rows]').evaluate((e) => { e.scrollTop = 0 })
    }
    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 1280, height: 800 })
  })

  test('bulk: select with click and shift-click, mark chased', async () => {
    const table = page.getByTestId('chase-table')
    await table.locator('.window .row').first().waitFor()
    const boxes = table.locator('.window .row input[type=checkbox]')
    await boxes.nth(0).click()
    await boxes.nth(3).click({ modifiers: ['Shift'] })
    const bar = page.getByTestId('chase-bulk')
    await bar.getByText('4 jobs selected').waitFor()
    const keys = await table.locator('.window .row').evaluateAll((rs) => rs.slice(0, 4).map((r) => r.dataset.client))
    await bar.getByRole('button', { name: 'Mark chased' }).click()
    await page.getByText(/marked as chased today/).first().waitFor()
    const today = new Date().toISOString().slice(0, 10)
    const l = await list(page)
    for (const name of keys) {
      const r = l.rows.find((x) => x.clientName === name)
      assert.equal(r.lastChased.slice(0, 10), today, `${name} chased today`)
    }
  })

  test('links: the sure ones confirmed in one action, and undone', async () => {
    await openChaseTab(page, 'Client links')
    const box = page.getByTestId('links-sure')
    await box.waitFor({ timeout: 30_000 })
    const before = (await chase(page, 'Links', { Status: '', Text: '' })).counts
    assert.ok(before.sure > 0, `${before.sure} sure links to confirm`)
    await quiet(page)
    await shot(page, 'chase-10k-links-light')
    const t0 = Date.now()
    await box.getByRole('button', { name: /^Confirm \d+ sure links?/ }).click()
    await page.getByText(/sure links? confirmed/).or(page.getByRole('alert')).first().waitFor({ timeout: 240_000 })
    bench('bulk_confirm_ms', Date.now() - t0, 'ms', `${before.sure} links`)
    const mid = (await chase(page, 'Links', { Status: '', Text: '' })).counts
    assert.equal(mid.confirmed, before.confirmed + before.sure)
    assert.equal(mid.sure ?? 0, 0)
    // Keyboard review of the rest: j moves, x rejects (shown on screen).
    await page.getByTestId('links-keys').getByText('Enter').waitFor()
    await page.getByRole('button', { name: /^Suggested/ }).click()
    const listEl = page.getByTestId('links-list')
    if (await listEl.count()) {
      const first = await listEl.locator('.link').first().getAttribute('id')
      await listEl.focus()
      await page.keyboard.press('j')
      await page.keyboard.press('k')
      assert.equal(await listEl.locator('.link.active').getAttribute('id'), first)
    }
    // Undo the bulk confirm.
    await box.getByRole('button', { name: 'Undo' }).click()
    await page.getByText(/back to suggested/).waitFor({ timeout: 240_000 })
    const after = (await chase(page, 'Links', { Status: '', Text: '' })).counts
    assert.equal(after.confirmed, before.confirmed)
  })

  test('a job move: refused in words while moves are off; after Settings and a new sign-in it moves and leaves the list', async () => {
    // As on a fresh install: moves off, and a sign-in that did not ask for them.
    if ((await go(page, 'SettingsService.Get')).xpmJobWrite) {
      await go(page, 'SettingsService.SetXPMJobWrite', false)
      const since = Date.now() - 1000
      await go(page, 'AuthService.SignIn')
      await until(async () => (await go(page, 'AuthService.Status')).state === 'connected', 'the demo sign-in', 60_000)
      await settled(page, since)
      await page.reload() // the screens read the settings afresh
      await page.getByRole('navigation', { name: 'Main' }).waitFor()
    }
    // A chase state whose jobs move on to another state when documents arrive.
    const states = await chase(page, 'States')
    const l = await list(page)
    const row = l.rows.find((r) => r.contactId && r.jobId && r.source === 'xpm')
    assert.ok(row, 'a linked job on the chase list')
    const to = states.find((s) => s.present && !s.chase && s.name !== row.state)
    await chase(page, 'SaveMapping', states.map((s) => (s.name === row.state ? { ...s, moveTo: to.name } : s)))
    const offer = page.getByTestId('move-offer')
    let n = 0
    const drop = async () => {
      // A new document each time (the same one again would be skipped as a duplicate).
      const file = path.join(dir, `Bank statement ${++n}.pdf`)
      await writeFile(file, `%PDF-1.4\n% ${Date.now()} ${n}\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n`)
      const items = await go(page, 'UploadsService.Enqueue', row.contactId, [file], '')
      assert.equal(items[0].state === 'refused' || items[0].state.startsWith('skipped'), false, `the document is queued (${items[0].state})`)
      await page.getByRole('dialog').filter({ has: offer }).waitFor({ timeout: 180_000 })
    }
    await drop()
    await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click()
    const refused = page.getByTestId('move-refused')
    await refused.waitFor({ timeout: 90_000 })
    assert.match(await refused.innerText(), /^The job was not moved[.:] .*(Settings|sign in)/i)
    await quiet(page)
    await shot(page, 'chase-10k-move-refused')
    // The client may have more jobs to offer: "Not now" to each.
    while (await offer.isVisible()) {
      await page.getByRole('dialog').getByRole('button', { name: 'Not now' }).click()
      await page.waitForTimeout(200)
    }

    // Settings: let chase.md move jobs, then sign in again (demo Xero's consent answers at once).
    await nav(page, 'Settings')
    await page.getByTestId('xpm-job-write').check()
    const since = Date.now() - 1000
    await page.getByTestId('sign-in-again').getByRole('button', { name: 'Sign in to Xero again' }).click()
    await page.getByText(/^Signed in again/).waitFor({ timeout: 60_000 })
    await settled(page, since)
    assert.equal((await go(page, 'SettingsService.Get')).xpmJobWrite, true)

    await page.reload() // a new session offers the job again
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
    await openChaseTab(page, 'Chase list')
    await page.getByRole('searchbox', { name: 'Filter' }).fill(row.jobId)
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=chase-table]')?.dataset.total) === 1)
    await drop()
    // The offer for this job (others of the same client: not now).
    while (!(await offer.innerText()).includes(row.jobId)) await page.getByRole('dialog').getByRole('button', { name: 'Not now' }).click()
    await page.getByRole('dialog').getByRole('button', { name: 'Move' }).click()
    const tm = Date.now()
    await page.getByText(new RegExp(`${row.jobId} moved to “${to.name}”`)).waitFor({ timeout: 90_000 })
    bench('move_ms', Date.now() - tm, 'ms', 'Move pressed to the job moved in Practice Manager')
    while (await offer.isVisible()) await page.getByRole('dialog').getByRole('button', { name: 'Not now' }).click()
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=chase-table]')?.dataset.total) === 0)
    await until(async () => !(await list(page)).rows.some((r) => r.jobId === row.jobId), 'the job off the list', 30_000)
    await page.getByRole('searchbox', { name: 'Filter' }).fill('')
    const ours = app.errors.filter((e) => !String(e.stack ?? '').includes('/wails/ipc.js'))
    assert.deepEqual(ours, [], 'no page errors')
  })
})

// End-to-end: the Clients screen against the real Go side in demo mode: the
// contact sync, search as you type, the client page and back.
// clients10k.test.mjs checks a practice of 10,000 clients (its own e2e pass).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'
import { demoClients, go, searchFor } from './demo.mjs'

describe('Clients screen (demo)', () => {
  let app, page
  before(async () => {
    app = await openApp()
    page = app.page
    await demoClients(page)
  })
  after(async () => {
    // Leave the shared app as a fresh run has it: out of the demo.
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
  })

  test('the list shows the synced demo clients with counts and the last sync', async () => {
    const st = await go(page, 'ClientsService.SyncStatus')
    const list = page.getByTestId('client-list')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=client-list]')?.dataset.total) > 0)
    const total = Number(await list.getAttribute('data-total'))
    assert.equal(total, st.counts.active, 'the list shows the active clients')
    assert.match(await page.getByTestId('match-count').innerText(), /\d+ clients?/)
    const rows = await list.locator('[data-drop-client-id]').count()
    assert.ok(rows > 5 && rows < 60, `${rows} rows in the DOM for ${total} clients: virtualised`)
    assert.match(await page.getByTestId('last-sync').innerText(), /Synced/)
    await shot(page, 'clients-list-light')
  })

  test('Sync now shows progress, then “Synced just now”', async () => {
    await page.getByRole('banner').getByRole('button', { name: 'Sync now' }).click()
    await page.waitForFunction(() => /Synced just now/.test(document.querySelector('[data-testid=last-sync]')?.textContent ?? ''),
      null, { timeout: 30_000 })
  })

  test('search as you type finds a demo client by name; the client page opens and Esc comes back', async () => {
    const all = await go(page, 'ClientsService.Search', '', false, false, 0, 200)
    const target = all.rows.find((r) => r.email && r.name.length > 8) ?? all.rows[0]
    const part = target.name.split(/\s+/)[0]
    const ms = await searchFor(page, part)
    console.log(`bench: e2e.clients.search_ms ${ms.toFixed(0)} ms (typing ${part.length} keys + debounce + render)`)
    const row = page.locator(`[data-testid=client-list] [data-drop-client-id="${target.id}"]`)
    await row.waitFor()
    assert.equal(await row.getAttribute('data-drop-client-name'), target.name)
    await shot(page, 'clients-search-light')

    await row.click()
    const pageEl = page.getByTestId('client-page')
    await pageEl.waitFor()
    assert.equal(await pageEl.getAttribute('data-drop-client-id'), target.id)
    await page.getByRole('heading', { name: target.name, level: 1 }).waitFor()
    if (target.email) await page.getByText(target.email, { exact: true }).first().waitFor()
    assert.equal(await page.locator('.client-uploads-slot').getAttribute('data-client-id'), target.id)
    // The files in Xero: a list, or the empty state; never stuck loading, never an error.
    await page.locator('[data-testid=files], [data-testid=files-empty]').first().waitFor({ timeout: 20_000 })
    assert.equal(await page.getByTestId('files-error').count(), 0)
    await shot(page, 'clients-client-light')

    await page.keyboard.press('Escape')
    const list = page.getByTestId('client-list')
    await list.waitFor()
    // The query is kept: the list comes back with the same search.
    await page.waitForFunction((q) => document.querySelector('[data-testid=client-list]')?.dataset.query === q, part)
    assert.equal(await page.inputValue('#global-search'), part)
  })

  test('keyboard: arrows move, Enter opens the active client', async () => {
    await searchFor(page, '')
    const list = page.getByTestId('client-list')
    await page.keyboard.press('ArrowDown') // from the search box into the list
    assert.equal(await page.evaluate(() => document.activeElement?.dataset.testid), 'client-list')
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('ArrowDown')
    const active = await page.locator('[data-testid=client-list] [aria-selected=true]').getAttribute('data-drop-client-name')
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { name: active, level: 1 }).waitFor()
    await page.keyboard.press('Escape')
    await list.waitFor()
  })

  test('filters and the no-match state', async () => {
    await searchFor(page, 'zzqqxx')
    await page.getByRole('heading', { name: 'No clients match “zzqqxx”' }).waitFor()
    await searchFor(page, '')
    const all = Number(await page.getByTestId('client-list').getAttribute('data-total'))
    await page.getByLabel('Customers only').check()
    await page.waitForFunction((all) => Number(document.querySelector('[data-testid=client-list]')?.dataset.total) < all, all)
    await page.getByLabel('Customers only').uncheck()
    await page.getByLabel('Include archived').check()
    await page.waitForFunction((all) => Number(document.querySelector('[data-testid=client-list]')?.dataset.total) > all, all)
    await page.getByLabel('Include archived').uncheck()
  })

  test('dark mode', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.mouse.move(5, 790)
    await page.waitForTimeout(400) // colour transitions finish
    await shot(page, 'clients-list-dark')
    const first = page.locator('[data-testid=client-list] [data-drop-client-id]').first()
    await first.click()
    await page.getByTestId('client-page').waitFor()
    await page.locator('[data-testid=files], [data-testid=files-empty]').first().waitFor({ timeout: 20_000 })
    await page.mouse.move(5, 790)
    await page.waitForTimeout(300)
    await shot(page, 'clients-client-dark')
    await page.keyboard.press('Escape')
    await page.emulateMedia({ colorScheme: 'light' })
  })
})

// End-to-end: the watched folders' Review flow against the real Go side in demo
// mode. The test adds a temporary folder through the FoldersService.AddFolder
// binding rather than the "Add a folder" button, because that button opens the
// system's native folder dialog (GTK), which a browser cannot drive. It then
// writes files into the folder with node:fs, as a scanner would, and works the
// Review list through the UI. It leaves the app as it found it: no watched
// folders or rules, an empty upload queue, last screen "clients", real mode if
// it started there (the two files it filed stay in the demo's Activity log).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'

const folders = (page, method, ...args) =>
  page.evaluate(([m, a]) => window.go.app.FoldersService[m](...a), [method, args])

async function until(fn, what, ms = 60_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn().catch(() => null)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

async function quiet(page) {
  for (const b of await page.locator('[data-testid="toast"] button.close').all()) await b.click({ timeout: 1000 }).catch(() => {}) // it may fade first
  await page.mouse.move(5, 790)
  await page.waitForTimeout(300)
}

// Two demo clients whose names differ only in "&"/"and" or "Ltd"/"Limited":
// a file named after one could be either.
function lookAlikes(clients) {
  const seen = new Map()
  for (const c of clients) {
    const key = c.name.toLowerCase().replace(/&/g, ' and ').replace(/[.,']/g, ' ').split(/\s+/)
      .filter((w) => w && !['ltd', 'limited', 'pty'].includes(w)).join(' ')
    if (seen.has(key)) return [seen.get(key), c]
    seen.set(key, c)
  }
  return null
}

async function cleanUp(page) {
  for (const f of (await folders(page, 'Folders').catch(() => [])) ?? []) await folders(page, 'RemoveFolder', f.id).catch(() => {})
  for (const r of (await folders(page, 'Rules').catch(() => [])) ?? []) await folders(page, 'DeleteRule', r.id).catch(() => {})
}

describe('watched folders', () => {
  let app, page, wasDemo, dir, one, two

  before(async () => {
    app = await openApp()
    page = app.page
    dir = await mkdtemp(path.join(tmpdir(), 'chase-watch-'))
    wasDemo = (await page.evaluate(() => window.go.app.StatusService.Info())).demo
    if (!wasDemo) await page.evaluate(() => window.go.app.StatusService.SetDemo(true))
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  })

  after(async () => {
    if (page) {
      await cleanUp(page)
      // The uploads this file made leave the queue (Activity keeps them).
      await page.evaluate(() => window.go.app.UploadsService.ClearFinished()).catch(() => {})
      await page.evaluate(() => window.go.app.SettingsService.SetLastScreen('clients')).catch(() => {})
      if (!wasDemo) await page.evaluate(() => window.go.app.StatusService.SetDemo(false)).catch(() => {})
    }
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('the demo practice is synced and has look-alike clients', async () => {
    const clients = await until(async () => {
      const found = await folders(page, 'FindClients', '', '', 200)
      if (!found?.length) await page.evaluate(() => window.go.app.ClientsService?.SyncNow?.()).catch(() => {})
      return found?.length > 20 && found
    }, 'the demo sync')
    const pair = lookAlikes(clients)
    assert.ok(pair, 'two clients with look-alike names')
    ;[one, two] = pair
    await cleanUp(page)
  })

  test('no folders: the empty state explains what a watched folder does', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Watched folders' }).click()
    await page.getByRole('heading', { name: 'No watched folders' }).waitFor()
    const add = page.getByTestId('add-folder')
    assert.equal(await add.isEnabled(), true, 'Add a folder is enabled')
    assert.match(await page.locator('main').innerText(), /Filed\/‹client›\//)
    await quiet(page)
    await shot(page, 'folders-empty-light')
  })

  test('an ambiguous file waits in Review; choosing a client with a rule files it', async () => {
    // The native folder dialog cannot be driven from a browser: add through the binding.
    const f = await folders(page, 'AddFolder', dir, 'filename', '', '')
    assert.equal(f.path, dir)
    const card = page.getByTestId('watched-folder')
    await card.waitFor()
    await until(async () => (await card.getAttribute('data-state')) === 'watching', 'the folder watching')
    assert.match(await card.innerText(), /Watching/)
    assert.match(await card.innerText(), /File name/)

    const name = `${one.name} invoice 2031.pdf`
    await writeFile(path.join(dir, name), '%PDF-1.4 the first scan '.repeat(40) + '\n%%EOF\n')
    const item = page.locator(`[data-testid="review-item"][data-name="${name.replace(/"/g, '\\"')}"]`)
    await item.waitFor({ timeout: 30_000 })
    assert.equal(await item.getByTestId('review-why').innerText(), 'Two clients match equally')
    const sugg = item.getByTestId('review-suggestion')
    assert.ok((await sugg.count()) >= 2, 'both look-alikes suggested')
    const texts = (await sugg.allInnerTexts()).join('\n')
    assert.ok(texts.includes(one.name) && texts.includes(two.name), texts)
    assert.match(texts, /\d+%/)
    await quiet(page)
    await shot(page, 'folders-review-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await quiet(page)
    await shot(page, 'folders-review-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // Choose the second look-alike, and save a rule.
    await sugg.filter({ hasText: two.name }).first().locator('input').check()
    const reviewId = (await folders(page, 'Reviews', 0))[0].id
    const pattern = await folders(page, 'RuleFor', reviewId, two.id)
    assert.ok(pattern, 'a name naming the client offers a rule')
    await item.getByTestId('review-rule').waitFor()
    assert.match(await item.innerText(), new RegExp(pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    await item.getByTestId('review-rule').check()
    await item.getByTestId('review-file').click()
    await page.getByText(`1 file filed for ${two.name}`).first().waitFor({ timeout: 60_000 })
    await page.getByTestId('review-empty').waitFor()
    const today = page.getByTestId('filed-today')
    await until(async () => (await today.innerText()).includes(two.name), 'Filed today lists the client')
    const rules = page.getByTestId('rules')
    await rules.waitFor()
    assert.match(await rules.innerText(), new RegExp(`${two.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
    const filed = await readdir(path.join(dir, 'Filed'))
    assert.equal(filed.length, 1, `one client folder in Filed/: ${filed}`)
    assert.deepEqual(await readdir(path.join(dir, 'Filed', filed[0])), [name])
  })

  test('the next file like it is filed by the rule, without Review', async () => {
    const name = `${one.name} invoice 2032.pdf`
    await writeFile(path.join(dir, name), '%PDF-1.4 the second scan '.repeat(40) + '\n%%EOF\n')
    const today = page.getByTestId('filed-today')
    await until(async () => /2 files for 1 client/.test(await today.innerText()), 'two files filed today')
    assert.equal(await page.getByTestId('review-item').count(), 0, 'nothing went to Review')
    const filed = await readdir(path.join(dir, 'Filed'))
    assert.deepEqual((await readdir(path.join(dir, 'Filed', filed[0]))).sort(), [`${one.name} invoice 2031.pdf`, name].sort())
    // Uploads lists both for the chosen client.
    const items = await page.evaluate(() => window.go.app.UploadsService.Items({ states: ['done'], contactId: '', limit: 50, offset: 0 }))
    const mine = items.filter((it) => it.contact.id === two.id && it.name.startsWith(one.name))
    assert.equal(mine.length, 2, 'both uploaded for the chosen client')
    await quiet(page)
    await shot(page, 'folders-filed-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await quiet(page)
    await shot(page, 'folders-filed-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    const ours = app.errors.filter((e) => !String(e.stack ?? '').includes('/wails/ipc.js'))
    assert.deepEqual(ours, [], 'no page errors')
  })
  test('a Review choice waits in its undo window; Undo sends nothing to Xero and the file comes back to Review', async () => {
    // The rule saved above would file the next scan of this pair by itself: without it the file waits in Review.
    for (const r of (await folders(page, 'Rules')) ?? []) await folders(page, 'DeleteRule', r.id)
    const info = await page.evaluate(() => window.go.app.StatusService.Info())
    const tenant = (await page.evaluate(() => window.go.app.ClientsService.SyncStatus())).tenantId
    // What reached the demo Xero's Files, read from the sandbox itself (not through the app).
    const inXero = async () => {
      const res = await fetch(`${info.sandboxUrl}/_sandbox/files?tenant=${encodeURIComponent(tenant)}`)
      assert.equal(res.status, 200, 'the sandbox lists its files')
      return res.json()
    }
    const name = `${one.name} letter 2033.pdf`
    const sentBefore = (await inXero()).files.length
    await writeFile(path.join(dir, name), '%PDF-1.4 the letter that goes astray '.repeat(40) + '\n%%EOF\n')
    const item = page.locator(`[data-testid="review-item"][data-name="${name.replace(/"/g, '\\"')}"]`)
    await item.waitFor({ timeout: 30_000 })
    await item.getByTestId('review-suggestion').filter({ hasText: two.name }).first().locator('input').check()
    await item.getByTestId('review-file').click()

    // The choice waits, visibly, before anything goes.
    const bar = page.getByTestId('undo-bar')
    const group = bar.getByTestId('undo-group').filter({ hasText: name })
    await group.waitFor({ timeout: 15_000 })
    assert.match(await group.innerText(), /goes to[\s\S]*in Xero[\s\S]*in \d+ s/)
    await quiet(page)
    await shot(page, 'folders-review-undo-window-light')
    await group.getByTestId('undo-button').click()
    await group.waitFor({ state: 'detached' })

    // Back in Review, saying it was undone; never in Xero, even after the window would have ended.
    await item.waitFor({ timeout: 30_000 })
    assert.match(await item.innerText(), /You undid the filing before it was sent to Xero/)
    await page.waitForTimeout(11_000)
    const x = await inXero()
    assert.equal(x.files.length, sentBefore, 'no new file in the demo Xero')
    assert.ok(!x.files.some((f) => f.Name === name), `the demo Xero's files: ${x.files.map((f) => f.Name).join(', ')}`)
    await shot(page, 'folders-review-undone-light')

    // Activity says it was undone.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Activity' }).click()
    const undone = page.getByTestId('activity-row').and(page.locator('[data-kind=undone]')).filter({ hasText: name })
    await undone.first().waitFor({ timeout: 15_000 })
    assert.match(await undone.first().innerText(), /Filing undone/)
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Watched folders' }).click()
    await folders(page, 'DismissReview', (await folders(page, 'Reviews', 0)).find((r) => r.name === name)?.id).catch(() => {})
  })
})

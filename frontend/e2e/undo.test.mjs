// End-to-end: filing to the right client, against the real Go side in demo
// mode. No client is preselected; a drop waits in its undo window, visibly,
// and Undo sends nothing; a filed document moves to another client (the
// demo Xero's associations say so) and is removed from Xero after a
// confirmation; a waiting file can be previewed; Activity lists the sync
// and the filing with the Xero user's name.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
const rowById = (page, id) => page.locator(`[data-testid=upload-row][data-id="${id}"]`)
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

/** A small but real PDF, whole (it ends with %%EOF). */
function pdf(text) {
  return Buffer.from(`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
    `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n4 0 obj<</Length ${text.length + 30}>>stream\n` +
    `BT /F1 12 Tf 10 50 Td (${text}) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`)
}

async function clearToasts(page) {
  for (const b of await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 1000 }).catch(() => {})
}

async function item(page, id) {
  const items = await go(page, 'UploadsService.Items', { states: [], contactId: '', limit: 200, offset: 0 })
  return items.find((i) => i.id === id)
}

async function until(page, fn, what, timeout = 30_000) {
  const end = Date.now() + timeout
  for (;;) {
    if (await fn()) return
    if (Date.now() > end) throw new Error(`gave up waiting for ${what}`)
    await page.waitForTimeout(200)
  }
}

async function dark(page, name) {
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(400)
  await shot(page, name)
  await page.emulateMedia({ colorScheme: 'light' })
  await page.waitForTimeout(200)
}

describe('Filing to the right client (demo)', () => {
  let app, page, dir, client, other

  before(async () => {
    app = await openApp()
    page = app.page
    const info = await go(page, 'StatusService.Info')
    if (!info.demo) {
      await go(page, 'StatusService.SetDemo', true)
      await page.reload()
      await page.waitForFunction(() => !!window.go?.app?.UploadsService)
    }
    await page.waitForFunction(async () => {
      try { return (await window.go.app.UploadsService.FindClients('', 5)).length >= 3 } catch { return false }
    }, null, { timeout: 60_000, polling: 250 })
    await go(page, 'UploadsService.ClearFinished')
    dir = await mkdtemp(path.join(tmpdir(), 'chase-e2e-undo-'))
    const found = await go(page, 'UploadsService.FindClients', '', 10)
    ;[client, other] = [found[2], found[3]]
  })

  after(async () => {
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('which client: nothing is preselected, so Enter files nowhere', async () => {
    const file = path.join(dir, 'Unsorted letter.pdf')
    await writeFile(file, pdf('Unsorted'))
    await nav(page, 'Uploads')
    const dropped = page.evaluate((p) => window.__chaseDropForTest([p]), file)
    const chooser = page.getByTestId('client-chooser')
    await chooser.waitFor()
    await chooser.getByRole('option').first().waitFor()
    assert.equal(await chooser.getByRole('option', { selected: true }).count(), 0, 'no client is selected')
    assert.match(await chooser.getByRole('button', { name: /Choose a client first/ }).innerText(), /Choose a client first/)
    await page.keyboard.press('Enter')
    await page.waitForTimeout(300)
    assert.ok(await chooser.isVisible(), 'Enter with nothing chosen keeps the question open')
    await shot(page, 'undo-01-no-client-preselected-light')
    await dark(page, 'undo-01-no-client-preselected-dark')
    await page.keyboard.press('Escape')
    assert.equal(await dropped, null, 'nothing was queued')
    const items = await go(page, 'UploadsService.Items', { states: [], contactId: '', limit: 50, offset: 0 })
    assert.ok(!items.some((i) => i.name === 'Unsorted letter.pdf'), 'no item for the file')
  })

  test('a drop waits visibly, can be previewed, and Undo sends nothing to Xero', async () => {
    const name = 'Wrong client scan.pdf'
    const file = path.join(dir, name)
    await writeFile(file, pdf('Meant for someone else'))
    await nav(page, 'Clients')
    await page.locator(`[data-drop-client-id="${client.id}"]`).first().waitFor()
    const out = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [file, client.id])
    const id = out.items[0].id
    assert.equal(out.items[0].state, 'held')
    const bar = page.getByTestId('undo-bar')
    await bar.waitFor()
    const group = bar.getByTestId('undo-group').filter({ hasText: client.name })
    assert.match(await group.innerText(), new RegExp(`${esc(name)}\\s+goes to\\s+${esc(client.name)}\\s+in Xero\\s+in \\d+ s`))

    await nav(page, 'Uploads')
    const row = rowById(page, id)
    await row.and(page.locator('[data-state=held]')).waitFor()
    assert.match(await row.getByTestId('upload-state').innerText(), /^Goes to Xero at .* unless you undo it$/)
    await row.getByTestId('upload-preview').click()
    const preview = page.getByTestId('preview')
    await preview.getByTestId('preview-pdf').waitFor()
    assert.match(await preview.getByTestId('preview-pdf').getAttribute('src'), /^blob:/)
    await page.waitForTimeout(500)
    await shot(page, 'undo-02-preview-light')
    await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click()
    await clearToasts(page)
    await shot(page, 'undo-03-undo-window-light')
    await dark(page, 'undo-03-undo-window-dark')

    await group.getByTestId('undo-button').click()
    await row.and(page.locator('[data-state=cancelled]')).waitFor()
    await bar.waitFor({ state: 'detached' })
    const it = await item(page, id)
    assert.equal(it.state, 'cancelled')
    assert.equal(it.fileId ?? '', '', 'Xero never stored the file')
    // The demo Xero's associations for the client: the file is not there, even after its window would have ended.
    await page.waitForTimeout(11_000)
    const files = await go(page, 'ClientsService.ClientFiles', client.id)
    assert.ok(!files.some((f) => f.name === name), `the client's files in Xero: ${files.map((f) => f.name).join(', ')}`)
    assert.equal((await item(page, id)).state, 'cancelled', 'still not sent')
  })

  test('a misfiled document moves to another client, then is removed from Xero', async () => {
    const name = 'Misfiled bank letter.pdf'
    const file = path.join(dir, name)
    await writeFile(file, pdf('Bank letter'))
    const out = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [file, client.id])
    const id = out.items[0].id
    await page.getByTestId('undo-bar').getByRole('button', { name: 'Send now' }).click()
    await until(page, async () => (await item(page, id))?.state === 'done', 'the upload to finish')
    const fileId = (await item(page, id)).fileId
    await clearToasts(page)

    await nav(page, 'Clients')
    await page.locator(`[data-testid=client-list] [data-drop-client-id="${client.id}"]`).first().click()
    const cp = page.getByTestId('client-page')
    await cp.waitFor()
    const fileRow = cp.locator(`[data-testid=xero-file][data-file-id="${fileId}"]`)
    await fileRow.waitFor({ timeout: 15_000 })
    await fileRow.getByRole('button', { name: /^Move / }).click()
    const dlg = page.getByRole('dialog')
    await dlg.getByRole('combobox', { name: 'Move to' }).fill(other.name)
    await dlg.getByTestId('client-picker-option').filter({ hasText: other.name }).first().waitFor()
    await page.keyboard.press('Enter') // nothing chosen yet: does nothing
    assert.equal(await dlg.getByTestId('move-to').count(), 0)
    await page.keyboard.press('ArrowDown')
    await page.keyboard.press('Enter')
    await dlg.getByTestId('move-to').waitFor()
    assert.match(await dlg.getByTestId('move-to').innerText(), new RegExp(esc(other.name)))
    await shot(page, 'undo-04-move-light')
    await dark(page, 'undo-04-move-dark')
    await dlg.getByTestId('move-confirm').click()
    await page.getByTestId('toast').filter({ hasText: `Moved ${name} to ${other.name} in Xero.` }).first().waitFor()
    // The demo Xero's associations: on the other client only.
    const theirs = await go(page, 'ClientsService.ClientFiles', other.id)
    assert.ok(theirs.some((f) => f.fileId === fileId), 'linked to the other client')
    const mine = await go(page, 'ClientsService.ClientFiles', client.id)
    assert.ok(!mine.some((f) => f.fileId === fileId), 'unlinked from the first client')
    await fileRow.waitFor({ state: 'detached' })

    // On the other client's page: Remove from Xero, after a confirmation.
    await page.keyboard.press('Escape')
    await page.locator(`[data-testid=client-list] [data-drop-client-id="${other.id}"]`).first().click()
    await cp.waitFor()
    const moved = cp.locator(`[data-testid=xero-file][data-file-id="${fileId}"]`)
    await moved.waitFor({ timeout: 15_000 })
    await moved.getByRole('button', { name: /^Remove / }).click()
    const confirm = page.getByRole('dialog')
    assert.match(await confirm.innerText(), /Remove .* from Xero\?/)
    await shot(page, 'undo-05-remove-confirm-light')
    await dark(page, 'undo-05-remove-confirm-dark')
    await confirm.getByTestId('remove-confirm').click()
    await page.getByTestId('toast').filter({ hasText: `Removed ${name} from Xero.` }).first().waitFor()
    await moved.waitFor({ state: 'detached' })
    const left = await go(page, 'ClientsService.ClientFiles', other.id)
    assert.ok(!left.some((f) => f.fileId === fileId), 'gone from Xero')
    await page.keyboard.press('Escape')

    // Activity: the move and the removal, with the full Xero file ID.
    const log = await go(page, 'ActivityService.List', fileId, [], 20, 0)
    assert.deepEqual(log.map((e) => e.kind).sort(), ['filed', 'moved', 'removed'])
  })

  test('Activity lists the sync and the filing, by the Xero user who signed in', async () => {
    await clearToasts(page)
    await nav(page, 'Activity')
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
    const rows = page.getByTestId('activity-row')
    await rows.first().waitFor()
    const sync = rows.and(page.locator('[data-kind=sync]')).first()
    await sync.waitFor()
    assert.equal(await sync.getByTestId('activity-who').innerText(), 'Dana Demo')
    const filed = rows.and(page.locator('[data-kind=filed]')).filter({ hasText: 'Misfiled bank letter.pdf' }).first()
    await filed.waitFor()
    assert.equal(await filed.getByTestId('activity-who').innerText(), 'Dana Demo')
    assert.match(await filed.innerText(), /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/, 'the full Xero file ID')
    assert.ok(await rows.and(page.locator('[data-kind=undone]')).filter({ hasText: 'Wrong client scan.pdf' }).count() >= 1, 'the undo is listed')
    await page.mouse.move(5, 700)
    await shot(page, 'undo-06-activity-light')
    await dark(page, 'undo-06-activity-dark')
    // Filter by kind.
    await page.getByTestId('activity-kind').selectOption('sync')
    await until(page, async () => (await rows.count()) > 0 && (await rows.and(page.locator(':not([data-kind=sync])')).count()) === 0, 'only syncs')
    await page.getByTestId('activity-kind').selectOption('')
  })

  test('no uncaught errors in the page', () => {
    const ours = app.errors.map((e) => e.stack ?? String(e)).filter((s) => !/\/wails\/ipc\.js:/.test(s.split('\n')[1] ?? ''))
    assert.deepEqual(ours, [])
  })
})

// End-to-end: drag-and-drop uploads against the real Go side in demo mode.
// A plain browser cannot drag files in from the desktop, so the tests drop
// through window.__chaseDropForTest(paths, clientId), the drop layer's test
// hook: it replays a Wails file drop at the centre of the client's row (the
// same elementFromPoint resolution and the same code path as a real drop).
// Files are real: made in a temp dir here and read by the Go side.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm, stat, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { openApp, shot } from './browser.mjs'
import { go } from './demo.mjs'


const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()
const row = (page, name) => page.locator(`[data-testid=upload-row][data-name="${name}"]`)
const rowById = (page, id) => page.locator(`[data-testid=upload-row][data-id="${id}"]`)

/** Waits for item id to reach state; on a timeout, says where the queue really is. */
async function reach(page, id, state, timeout = 30_000) {
  try {
    await rowById(page, id).and(page.locator(`[data-state=${state}]`)).waitFor({ timeout })
  } catch (e) {
    const items = await go(page, 'UploadsService.Items', { states: [], contactId: '', limit: 20, offset: 0 })
    const it = items.find((i) => i.id === id)
    throw new Error(`item ${id} did not reach ${state}: backend has ${JSON.stringify(it)}; screen shows ${await rowById(page, id).innerText().catch(() => 'no row')}`)
  }
}

/** Dismisses the toasts, so a screenshot shows the screen. */
async function clearToasts(page) {
  for (const b of await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 1000 }).catch(() => {})
}

/** Demo mode, its contacts synced into the store. */
async function demo(page) {
  const info = await go(page, 'StatusService.Info')
  if (!info.demo) {
    await go(page, 'StatusService.SetDemo', true)
    await page.reload()
    await page.waitForFunction(() => !!window.go?.app?.UploadsService)
  }
  await page.getByRole('navigation', { name: 'Main' }).waitFor()
  await page.waitForFunction(async () => {
    try {
      return (await window.go.app.UploadsService.FindClients('', 5)).length >= 3
    } catch {
      return false
    }
  }, null, { timeout: 60_000, polling: 250 })
}

/** A small but real PDF. */
function pdf(text) {
  const body = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n4 0 obj<</Length ${text.length + 30}>>stream\nBT /F1 12 Tf 10 50 Td (${text}) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`
  return Buffer.from(body)
}

describe('Uploads (demo)', () => {
  let app, page, dir, client, other
  const good = 'Bank statement Nov 2026.pdf'
  const big = 'Scan of everything (12 MB).pdf'
  const exe = 'invoice-viewer.exe'

  before(async () => {
    app = await openApp()
    page = app.page
    await demo(page)
    await go(page, 'UploadsService.ClearFinished') // earlier runs in this data directory
    dir = await mkdtemp(path.join(tmpdir(), 'chase-e2e-uploads-'))
    await mkdir(path.join(dir, 'From client'))
    await writeFile(path.join(dir, 'From client', good), pdf('Statement for November'))
    await writeFile(path.join(dir, 'From client', big), Buffer.alloc(12 * 1024 * 1024, 0x25))
    await writeFile(path.join(dir, 'From client', exe), Buffer.from('MZ not really a program'))
    await writeFile(path.join(dir, 'From client', '.DS_Store'), Buffer.from('hidden'))
    const found = await go(page, 'UploadsService.FindClients', '', 10)
    ;[client, other] = [found[0], found[1]]
  })

  after(async () => {
    await go(page, 'UploadsService.DemoSlowUploads', '').catch(() => {})
    await go(page, 'UploadsService.ClearFinished').catch(() => {})
    // Leave the shared app as a fresh run has it: out of the demo.
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  test('a folder dropped on a client row: the PDF is filed, the 12 MB file and the .exe are refused in words', async () => {
    await nav(page, 'Clients')
    const target = page.locator(`[data-drop-client-id="${client.id}"]`).first()
    await target.waitFor()
    // The demo Xero answers each upload after 3 s, so the progress can be seen.
    await go(page, 'UploadsService.DemoSlowUploads', '3s')

    const outcome = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [path.join(dir, 'From client'), client.id])
    assert.equal(outcome.clientId, client.id, 'the drop resolved to the row under the point')
    assert.equal(outcome.items.length, 3, 'the folder expanded to its three files; the dotfile was skipped')
    const goodId = outcome.items.find((i) => i.name === good).id

    const report = page.getByTestId('drop-result')
    await report.waitFor()
    assert.equal(await report.getByRole('heading').innerText(), '2 files were not uploaded')
    const text = await report.innerText()
    assert.match(text, /Scan of everything \(12 MB\)\.pdf\s+This file is 12\.0 MB; Xero accepts files up to 10 MB\. Split or compress it, then drop it again\./)
    assert.match(text, /invoice-viewer\.exe\s+Xero doesn't accept \.exe files, because they are programs or scripts\./)
    assert.match(text, /Your files were not moved or changed\./)
    await shot(page, 'uploads-01-refused-light')

    await report.getByRole('button', { name: 'Show uploads' }).click()
    await page.getByRole('heading', { name: 'Uploads', level: 1 }).waitFor()
    await reach(page, goodId, 'uploading', 15_000)
    await page.getByTestId('upload-overall').waitFor()
    assert.match(await row(page, good).getByTestId('upload-state').innerText(), /^Uploading( \d+%|…)$/)
    await page.mouse.move(5, 700)
    await shot(page, 'uploads-02-progress-light')

    await go(page, 'UploadsService.DemoSlowUploads', '')
    await reach(page, goodId, 'done')
    assert.equal(await row(page, good).getByTestId('upload-state').innerText(), 'Filed in Xero')
    await page.getByTestId('toast').filter({ hasText: `Filed “${good}” in Xero for ${client.name}.` }).waitFor()

    const refused = page.getByTestId('refused-row')
    assert.equal(await refused.count(), 2)
    for (const [name, words] of [[big, 'Xero accepts files up to 10 MB'], [exe, "Xero doesn't accept .exe files"]]) {
      const r = refused.and(page.locator(`[data-name="${name}"]`))
      assert.match(await r.innerText(), new RegExp(`Refused — .*${words.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\\S]*Your file was not moved or changed\\.`))
    }
    // Nothing happened to the user's files.
    assert.equal((await stat(path.join(dir, 'From client', big))).size, 12 * 1024 * 1024)
    assert.equal((await stat(path.join(dir, 'From client', exe))).size, 23)
    await clearToasts(page)
    await page.mouse.move(5, 700)
    await page.waitForTimeout(300)
    await shot(page, 'uploads-03-filed-light')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(400) // colour transitions finish
    await shot(page, 'uploads-04-filed-dark')
    await page.emulateMedia({ colorScheme: 'light' })
  })

  test('several files at once: per-file bars and the overall progress', async () => {
    const batch = path.join(dir, 'Year end')
    await mkdir(batch)
    const names = ['Payroll summary.pdf', 'Fixed assets.xlsx', 'Bank letters.pdf', 'Receipts March.pdf', 'Director loan.docx']
    for (const [i, n] of names.entries()) await writeFile(path.join(batch, n), Buffer.alloc((i + 2) * 700 * 1024, 65 + i))
    await go(page, 'UploadsService.DemoSlowUploads', '2s')
    const out = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [batch, client.id])
    assert.equal(out.queued, 5)
    const overall = page.getByTestId('upload-overall')
    await overall.waitFor()
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=upload-row][data-state=uploading]').length > 0)
    assert.match(await overall.innerText(), /Uploading [2-5] files/)
    // Bytes are on their way (the demo Xero holds each request 2 s before reading it).
    await page.waitForFunction(() => !/\b0 bytes of/.test(document.querySelector('[data-testid=upload-overall]')?.textContent ?? ''), null, { timeout: 10_000 })
    await page.mouse.move(5, 700)
    await shot(page, 'uploads-02b-batch-progress-light')
    await go(page, 'UploadsService.DemoSlowUploads', '')
    for (const it of out.items) await reach(page, it.id, 'done')
    await overall.waitFor({ state: 'detached' })
  })

  test('the client page lists the file in Xero', async () => {
    const files = await go(page, 'ClientsService.ClientFiles', client.id)
    assert.ok(files.some((f) => f.name === good), `Xero Files for ${client.name}: ${files.map((f) => f.name).join(', ')}`)
    await nav(page, 'Clients')
    await page.locator(`[data-testid=client-list] [data-drop-client-id="${client.id}"]`).first().click()
    const clientPage = page.getByTestId('client-page')
    await clientPage.waitFor()
    await clientPage.getByTestId('files').getByText(good).waitFor({ timeout: 15_000 })
    // The drop layer put the upload corner into the page's slot.
    await clientPage.getByRole('button', { name: 'Add files…' }).waitFor()
    await clearToasts(page)
    await shot(page, 'uploads-05-client-page')
    await page.keyboard.press('Escape')
  })

  test('a drop outside any client asks which client, by keyboard', async () => {
    const file = path.join(dir, 'Payslip October.pdf')
    await writeFile(file, pdf('Payslip'))
    await nav(page, 'Uploads')
    const dropped = page.evaluate((p) => window.__chaseDropForTest([p]), file)
    const chooser = page.getByTestId('client-chooser')
    await chooser.waitFor()
    const box = chooser.getByRole('combobox', { name: 'Client' })
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('role')), 'combobox', 'the search field has the focus')
    await page.keyboard.type(other.name.split(' ')[0])
    await chooser.getByRole('option', { name: new RegExp(other.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) }).first().waitFor()
    await shot(page, 'uploads-06-which-client')
    // Nothing is chosen yet: Enter does nothing.
    assert.equal(await chooser.getByRole('option', { selected: true }).count(), 0, 'no client preselected')
    await box.press('Enter')
    assert.ok(await chooser.isVisible(), 'Enter with no client chosen keeps the question open')
    // Arrow to the client, then Enter.
    await box.press('ArrowDown')
    for (let i = 0; i < 8; i++) {
      const sel = await chooser.getByRole('option', { selected: true }).innerText()
      if (sel.includes(other.name)) break
      await box.press('ArrowDown')
    }
    await box.press('Enter')
    await chooser.waitFor({ state: 'detached' })
    const out = await dropped
    assert.equal(out.clientId, other.id)
    await reach(page, out.items[0].id, 'done')
    assert.match(await row(page, 'Payslip October.pdf').innerText(), new RegExp(other.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  })

  test('Wails’ own file-drop event at a client row files it there, and dragging files highlights the row', async () => {
    await nav(page, 'Clients')
    const target = page.locator(`[data-testid=client-list] [data-drop-client-id="${other.id}"]`).first()
    await target.waitFor()
    // Dragging files over the row: Wails' runtime marks what is under the pointer
    // (the desktop app turns this on; a browser needs the flag set by hand).
    await page.evaluate(() => { window.wails.flags.enableWailsDragAndDrop = true })
    await target.evaluate((el) => {
      const dt = new DataTransfer()
      dt.items.add(new File(['x'], 'x.pdf', { type: 'application/pdf' }))
      el.querySelector('*')?.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: dt }))
    })
    assert.match(await target.getAttribute('class'), /wails-drop-target-active/)
    assert.equal(await target.evaluate((el) => getComputedStyle(el).outlineStyle), 'dashed', 'the row under the files is outlined')
    await page.getByTestId('drop-hint').getByText('Drop to upload to this client').waitFor()
    await shot(page, 'uploads-09-drag-over-row')
    await page.evaluate(() => document.querySelectorAll('.wails-drop-target-active').forEach((e) => e.classList.remove('wails-drop-target-active')))

    // The drop itself, as the Go side delivers it to the page (EventsNotify, as the
    // native window calls it): the "wails:file-drop" event with the point and the paths.
    const file = path.join(dir, 'Dropped by Wails.pdf')
    await writeFile(file, pdf('Wails drop'))
    const box = await target.boundingBox()
    await page.evaluate(([x, y, p]) => window.wails.EventsNotify(JSON.stringify({ name: 'wails:file-drop', data: [x, y, [p]] })),
      [Math.round(box.x + box.width / 2), Math.round(box.y + box.height / 2), file])
    // One toast for the filing: 'Uploading…' until 'Filed…' replaces it.
    await page.getByTestId('toast').filter({ hasText: `Uploading 1 file to ${other.name}.` }).or(page.getByTestId('toast').filter({ hasText: `Filed “Dropped by Wails.pdf” in Xero for ${other.name}.` })).first().waitFor()
    await page.waitForFunction(async (id) => {
      const items = await window.go.app.UploadsService.Items({ states: ['done'], contactId: id, limit: 50, offset: 0 })
      return items.some((i) => i.name === 'Dropped by Wails.pdf')
    }, other.id, { timeout: 30_000, polling: 250 })
  })

  test('the same file again is skipped with the day it was uploaded; Upload anyway sends it', async () => {
    await nav(page, 'Uploads')
    const again = await page.evaluate(([p, id]) => window.__chaseDropForTest([p], id), [path.join(dir, 'From client', good), client.id])
    const id = again.items[0].id
    assert.equal(again.items[0].state, 'skipped_duplicate')
    await reach(page, id, 'skipped_duplicate')
    const dup = rowById(page, id)
    assert.match(await dup.getByTestId('upload-state').innerText(), /^Skipped — already uploaded on \d{1,2} [A-Z][a-z]{2}/)
    await dup.getByRole('button', { name: `Upload anyway: ${good}` }).click()
    await reach(page, id, 'done')
    const files = await go(page, 'ClientsService.ClientFiles', client.id)
    assert.equal(files.filter((f) => f.name === good).length, 2, 'Upload anyway sent a second copy')
  })

  test('Activity lists every outcome, searchable', async () => {
    await nav(page, 'Activity')
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor()
    const rows = page.getByTestId('activity-row')
    await rows.first().waitFor()
    const filed = rows.filter({ hasText: good }).and(page.locator('[data-kind=filed]'))
    assert.ok((await filed.count()) >= 1)
    const line = await filed.first().innerText()
    assert.match(line, new RegExp(client.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    assert.match(line, /[0-9a-f]{8}-[0-9a-f]{4}/, 'the Xero file ID is shown')
    assert.equal(await rows.filter({ hasText: good }).and(page.locator('[data-kind=skipped]')).count(), 1)
    await clearToasts(page)
    await page.mouse.move(5, 700)
    await shot(page, 'uploads-07-activity-light')
    await page.getByRole('searchbox', { name: 'Search activity' }).fill('payslip')
    await page.waitForFunction(() => {
      const r = [...document.querySelectorAll('[data-testid=activity-row]')]
      return r.length > 0 && r.every((r) => /Payslip/.test(r.textContent))
    }, null, { timeout: 5000 }).catch(async (e) => {
      throw new Error(`${e.message}\n${await page.locator('#content').innerText()}`)
    })
    assert.equal(await rows.count(), 1)
    await page.getByRole('searchbox', { name: 'Search activity' }).fill('')
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(400)
    await shot(page, 'uploads-08-activity-dark')
    await page.emulateMedia({ colorScheme: 'light' })

    // Written where the save dialog says: scripts/e2e.sh's CHASE_EXPORT_DIR in the demo under wails dev.
    const csv = await go(page, 'ActivityService.ExportCSV')
    assert.equal(path.dirname(csv), process.env.CHASE_EXPORT_DIR)
    const { readFile } = await import('node:fs/promises')
    const body = await readFile(csv, 'utf8')
    assert.match(body, new RegExp(`,Filed in Xero,.*${good.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`))
  })

  test('no uncaught errors in the page', () => {
    const ours = app.errors.map((e) => e.stack ?? String(e)).filter((s) => !/\/wails\/ipc\.js:/.test(s.split('\n')[1] ?? ''))
    assert.deepEqual(ours, [])
  })
})

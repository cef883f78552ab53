// End-to-end: automated chasing against the real Go side in demo mode — set
// up a plan in the Plans editor, see Due today, send one reminder, read it in
// the in-app outbox (the demo never sends mail) and find it in Activity;
// screenshots light and dark at 1024×700. Puts the app into demo mode itself
// and leaves it as it found it (no chase states ticked, last screen "clients").
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'
import { searchFor, until } from './demo.mjs'

const svc = (page, name, method, ...args) =>
  page.evaluate(([s, m, a]) => window.go.app[s][m](...a), [name, method, args])
const chase = (page, method, ...args) => svc(page, 'ChaseService', method, ...args)
const remind = (page, method, ...args) => svc(page, 'RemindService', method, ...args)

// Toasts fade on their own; dismiss them so screenshots show the screen.
async function quiet(page) {
  for (const b of await page.getByRole('button', { name: 'Dismiss' }).all()) await b.click({ timeout: 1000 }).catch(() => {}) // a toast may fade meanwhile
  await page.mouse.move(5, 690)
  await page.waitForTimeout(300) // colour transitions finish
}

const nav = (page, name) => page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name, exact: true }).click()

async function openReminders(page, tab) {
  await nav(page, 'Reminders')
  await page.getByRole('heading', { name: 'Reminders', level: 1 }).waitFor()
  if (tab) await page.getByRole('tab', { name: new RegExp(`^${tab}`) }).click()
}

describe('reminders', () => {
  let app, page, wasDemo, planState, sent
  before(async () => {
    app = await openApp()
    page = app.page
    await page.setViewportSize({ width: 1024, height: 700 })
    wasDemo = (await svc(page, 'StatusService', 'Info')).demo
    if (!wasDemo) await svc(page, 'StatusService', 'SetDemo', true)
    await page.reload()
    await page.getByRole('navigation', { name: 'Main' }).waitFor()
  })
  after(async () => {
    if (page) {
      const states = await chase(page, 'States').catch(() => [])
      if (states.length) await chase(page, 'SaveMapping', states.map((s) => ({ ...s, chase: false, moveTo: '' }))).catch(() => {})
      await svc(page, 'SettingsService', 'SetLastScreen', 'clients').catch(() => {})
      if (!wasDemo) await svc(page, 'StatusService', 'SetDemo', false).catch(() => {})
    }
    await app?.close()
  })

  test('the demo practice has jobs waiting on clients', async () => {
    await until(async () => {
      const s = await chase(page, 'Status')
      if (!s.xpm) await chase(page, 'SyncNow').catch(() => {})
      return s.xpm && s.states > 0
    }, 'the XPM sync')
    // The state with the most jobs means "waiting on the client" (a person ticks it on the Chase list).
    const states = await chase(page, 'States')
    const withJobs = states.filter((s) => s.present && s.jobs > 0).sort((a, b) => b.jobs - a.jobs)
    assert.ok(withJobs.length > 0, 'the demo practice has jobs')
    planState = withJobs[0].name
    await chase(page, 'SaveMapping', states.map((s) => ({ ...s, chase: s.name === planState, moveTo: '' })))
    await until(async () => (await chase(page, 'List', { sort: '', desc: false, text: '', state: '', overdueOnly: false, noDocsOnly: false, offset: 0, limit: 0 })).rows.length > 0, 'the chase list')
  })

  test('set up a plan: send on every day and hour, the wording of a firmer reminder', async () => {
    await openReminders(page, 'Plans')
    const card = page.getByTestId('plan').filter({ has: page.getByRole('heading', { name: planState, exact: true }) })
    await card.getByRole('button', { name: `Edit the plan for ${planState}` }).click()
    const editor = card.getByTestId('plan-editor')
    await editor.waitFor()
    // Whatever day and time the test runs: every day, from midnight to midnight.
    for (const d of ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun']) await editor.getByLabel(d, { exact: true }).check()
    await editor.getByLabel('First hour to send').selectOption('0')
    await editor.getByLabel('Last hour to send').selectOption('24')
    await editor.getByTestId('plan-every').fill('3')
    // Keyboard: the automatic choice asks first, and Escape keeps it manual.
    await editor.getByTestId('plan-automatic').click()
    await page.getByRole('dialog', { name: 'Send these reminders automatically?' }).waitFor()
    await shot(page, 'reminders-automatic-confirm-light')
    await page.keyboard.press('Escape')
    assert.equal(await editor.getByTestId('plan-automatic').isChecked(), false, 'still sent by a person')
    assert.equal(await editor.getByLabel(/A person, from Due today/).isChecked(), true, 'the manual choice still shows as chosen')
    await quiet(page)
    await shot(page, 'reminders-plan-light')
    await editor.getByTestId('plan-save').click()
    await page.getByText(`Plan for “${planState}” saved.`).waitFor()
    const saved = (await remind(page, 'Plans')).find((p) => p.name === planState)
    assert.deepEqual(saved.quietDays, [])
    assert.equal(saved.sendFrom, 0)
    assert.equal(saved.sendUntil, 24)
    assert.equal(saved.everyDays, 3)
    assert.equal(saved.automatic, false)
  })

  test('Due today lists the requests; one click sends one', async () => {
    await openReminders(page, 'Due today')
    await page.getByTestId('due-today').waitFor({ timeout: 30_000 })
    await page.getByTestId('demo-outbox-note').waitFor()
    const ready = page.locator('[data-testid=reminder][data-status=due]')
    await ready.first().waitFor()
    assert.ok((await ready.count()) > 0, 'requests are due today')
    await quiet(page)
    await shot(page, 'reminders-due-light')
    // Send the first one to a client with an email address. A reminder whose reason is gone by
    // then (documents arrived, the job moved: other test files file documents) is stopped instead,
    // rightly: then the next one.
    const outcomes = []
    const ids = await ready.evaluateAll((els) => els.slice(0, 8).map((e) => e.dataset.id))
    for (const id of ids) {
      const r = page.locator(`[data-testid=reminder][data-id="${id}"]`)
      if (!(await r.getByRole('button', { name: /^Send to / }).isEnabled().catch(() => false))) continue
      const client = await r.getAttribute('data-client')
      await r.getByRole('button', { name: `Show the email to ${client}` }).click()
      const subject = await r.getByTestId('email-view-subject').innerText()
      await r.getByRole('button', { name: `Send to ${client}` }).click()
      const status = await until(async () => {
        const st = await r.getAttribute('data-status')
        return st !== 'due' && st !== 'sending' && st
      }, 'the send to finish', 30_000).catch(async (e) => {
        // Still due: the send was refused; the toast says why.
        const said = await page.getByTestId('toast').allInnerTexts().catch(() => [])
        throw new Error(`${e.message}; the app said: ${said.join(' | ') || 'nothing'}`)
      })
      const it = (await remind(page, 'DueToday')).find((i) => String(i.id) === id)
      outcomes.push(`${client}: ${status} ${it?.reason || it?.error || ''}`)
      if (status === 'sent') {
        sent = it
        assert.equal(sent.subject, subject, 'sent as shown')
        break
      }
    }
    assert.ok(sent?.messageId, `one reminder sent with its Message-ID recorded (${outcomes.join('; ')})`)
  })

  test('the outbox holds it, openable and readable; nothing left the computer', async () => {
    await openReminders(page, 'Outbox')
    const msg = page.getByTestId('outbox-message').filter({ hasText: sent.to })
    await msg.first().click()
    const reader = page.getByTestId('outbox-reader')
    assert.equal(await reader.getByTestId('email-view-subject').innerText(), sent.subject)
    const body = await reader.getByTestId('email-view-body').innerText()
    assert.ok(body.includes(sent.body.split('\n')[0].trim()), 'the email as sent')
    assert.ok((await reader.innerText()).includes(sent.messageId))
    await quiet(page)
    await shot(page, 'reminders-outbox-light')
  })

  test('Activity shows the reminder sent, with the email', async () => {
    await nav(page, 'Activity')
    const row = page.locator('[data-testid=activity-row][data-kind=reminder]').filter({ hasText: sent.clientName }).filter({ hasText: 'Reminder sent' })
    await row.first().waitFor({ timeout: 15_000 })
    await row.first().getByText('The email as sent').click()
    assert.ok((await row.first().innerText()).includes(sent.subject))
    // At 1024 px the table fits: nothing to scroll sideways.
    const wrap = await page.locator('.table-wrap').evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }))
    assert.ok(wrap.scroll <= wrap.client + 1, `the activity table fits at 1024 px (${JSON.stringify(wrap)})`)
    await quiet(page)
    await shot(page, 'reminders-activity-light')
  })

  test('the client page shows the reminder sent, the checklist and the controls', async () => {
    assert.ok(sent.contactId, 'the client is a Xero contact')
    const contact = await svc(page, 'ClientsService', 'Client', sent.contactId).catch(() => null)
    await nav(page, 'Clients')
    await searchFor(page, contact?.name ?? sent.clientName)
    await page.locator(`[data-testid=client-list] [data-drop-client-id="${sent.contactId}"]`).first().click()
    const panel = page.getByTestId('client-reminders')
    await panel.waitFor()
    const hist = panel.getByTestId('client-reminder-history')
    await hist.getByText(sent.subject).first().waitFor()
    assert.match(await hist.innerText(), /Sent/)
    assert.notEqual((await panel.getByTestId('client-next-reminder').innerText()).trim(), 'Next: none planned')
    await panel.getByTestId('checklist').first().waitFor()
    await panel.scrollIntoViewIfNeeded()
    await quiet(page)
    await shot(page, 'reminders-client-page-light')
    await page.getByRole('searchbox', { name: 'Search clients' }).fill('') // later screenshots show no search
  })

  test('the chase list shows the next reminder; Settings › Email says demo mail goes to the outbox', async () => {
    await nav(page, 'Chase list')
    await page.getByTestId('chase-next').first().waitFor()
    // The client sent to today has the plan's next step planned, and the list says when.
    const next = (await remind(page, 'Next')).find((n) => n.clientKey === sent.clientKey)
    assert.ok(next?.date && next.step === 1, `the next reminder after the first request: ${JSON.stringify(next)}`)
    await page.getByPlaceholder('Filter by client, job, state or email').fill(sent.clientName)
    const row = page.locator(`[data-testid=chase-table] .window .row[data-client="${sent.clientName}"]`).first()
    await until(async () => (await row.getByTestId('chase-next').innerText()).trim() !== '—', 'the next reminder date', 15_000)
    await page.getByPlaceholder('Filter by client, job, state or email').fill('')
    for (const [w, h] of [[1024, 700], [1440, 900], [1920, 1080]]) {
      await page.setViewportSize({ width: w, height: h })
      await quiet(page)
      await shot(page, `reminders-chase-next-${w}x${h}-light`)
      // Next reminder, Last chased and Copy email all inside the window.
      for (const name of [/Next reminder/, /Last chased/]) {
        const b = await page.getByRole('columnheader', { name }).boundingBox()
        assert.ok(b && b.x + b.width <= w, `${w}px: ${name} heading visible (${JSON.stringify(b)})`)
      }
      const copy = await page.getByRole('button', { name: /^Copy chase email for / }).first().boundingBox()
      assert.ok(copy && copy.x + copy.width <= w, `${w}px: Copy email visible (${JSON.stringify(copy)})`)
    }
    await page.setViewportSize({ width: 1024, height: 700 })
    await nav(page, 'Settings')
    const mail = page.getByTestId('settings-email')
    assert.match(await mail.getByTestId('mail-demo').innerText(), /Outbox/)
    await mail.getByTestId('mail-test').click()
    assert.match(await mail.getByTestId('mail-test-result').innerText(), /outbox/i)
    await mail.scrollIntoViewIfNeeded()
    await quiet(page)
    await shot(page, 'reminders-settings-email-light')
  })

  test('dark mode: Due today, the plan, the outbox', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await openReminders(page, 'Due today')
    await page.getByTestId('due-today').waitFor()
    await quiet(page)
    await shot(page, 'reminders-due-dark')
    await openReminders(page, 'This week')
    await page.getByTestId('week').waitFor()
    await quiet(page)
    await shot(page, 'reminders-week-dark')
    await openReminders(page, 'Plans')
    const card = page.getByTestId('plan').filter({ has: page.getByRole('heading', { name: planState, exact: true }) })
    await card.getByRole('button', { name: `Edit the plan for ${planState}` }).click()
    await card.getByTestId('plan-editor').waitFor()
    await quiet(page)
    await shot(page, 'reminders-plan-dark')
    await card.getByRole('button', { name: 'Cancel' }).click()
    await openReminders(page, 'Outbox')
    await page.getByTestId('outbox-reader').waitFor()
    await quiet(page)
    await shot(page, 'reminders-outbox-dark')
    await page.emulateMedia({ colorScheme: 'light' })
    // A large monitor: the queue reads on one line per reminder, actions beside it.
    await page.setViewportSize({ width: 1920, height: 1080 })
    await openReminders(page, 'Due today')
    await page.getByTestId('due-today').waitFor()
    await quiet(page)
    await shot(page, 'reminders-due-1920x1080-light')
    const send = await page.getByRole('button', { name: /^Send to / }).first().boundingBox()
    const first = await page.getByTestId('reminder').first().boundingBox()
    assert.ok(send && first && send.y < first.y + 40, 'the actions sit beside the reminder at 1920 px')
    await page.setViewportSize({ width: 1024, height: 700 })
    // The dev server's own IPC script throws on reload; only our code's errors count.
    const ours = app.errors.filter((e) => !String(e.stack ?? '').includes('/wails/ipc.js'))
    assert.deepEqual(ours, [], 'no page errors')
  })
})

import { describe, expect, it } from 'vitest'
import { installFakeBackend } from '../test/fakeBackend'
import { fakeItem, fakePlan } from '../test/fakeRemind'
import {
  byDay, checkPlan, fmtDay, hourLabel, nextLook, planSummary, portFor, queueOrder, quietWords, relDay, reminderActivity,
  remindApi, sendAllWords, sendDaysWords, sendable, statusLook, stepFor, stepLabel,
} from './remindApi'

describe('reminder words', () => {
  it('names every status in words, never the code', () => {
    for (const s of ['due', 'sending', 'sent', 'failed', 'retry', 'skipped', 'snoozed', 'stopped', 'unsure']) {
      expect(statusLook(s).label).not.toBe(s)
    }
    expect(statusLook('unsure')).toEqual({ label: 'Check Sent items', tone: 'warning' })
    expect(statusLook('failed').tone).toBe('danger')
  })

  it('steps: the first request, then numbered reminders; the last wording repeats', () => {
    expect(stepLabel(0)).toBe('First request')
    expect(stepLabel(2)).toBe('Reminder 2')
    expect(stepLabel(2, 3)).toBe('Reminder 2 of 3')
    const p = fakePlan()
    expect(stepFor(p, 0).subject).toContain('Documents needed')
    expect(stepFor(p, 5)).toBe(p.steps[1])
  })

  it('days and hours', () => {
    expect(fmtDay('2026-12-07')).toBe('Mon 7 Dec')
    expect(fmtDay('')).toBe('')
    expect(relDay('2026-12-04', '2026-12-04')).toBe('Today')
    expect(relDay('2026-12-05', '2026-12-04')).toBe('Tomorrow')
    expect(relDay('2026-12-08', '2026-12-04')).toBe('Tue 8 Dec')
    expect(hourLabel(9)).toBe('9:00')
    expect(hourLabel(24)).toBe('midnight')
    expect(quietWords([0, 6])).toBe('Saturday and Sunday')
    expect(quietWords([])).toBe('no days')
    expect(sendDaysWords([0, 6])).toBe('Mon–Fri')
    expect(sendDaysWords([])).toBe('every day')
    expect(sendDaysWords([2, 4, 0, 6])).toBe('Mon, Wed, Fri')
  })

  it('summarises a plan in one line', () => {
    expect(planSummary(fakePlan())).toBe('First request, then a reminder every 5 business days, up to 3 reminders; waiting in Due today for you to send; Mon–Fri 9:00–17:00.')
    expect(planSummary(fakePlan({ automatic: true, maxReminders: 1, everyDays: 1 }))).toContain('every 1 business day, up to 1 reminder; sent automatically')
    expect(planSummary(fakePlan({ enabled: false }))).toMatch(/^Off/)
  })

  it('checks a plan as the Go side does', () => {
    expect(checkPlan(fakePlan())).toEqual({})
    expect(checkPlan(fakePlan({ everyDays: 0 })).everyDays).toBeTruthy()
    expect(checkPlan(fakePlan({ maxReminders: 11 })).maxReminders).toBeTruthy()
    expect(checkPlan(fakePlan({ sendFrom: 17, sendUntil: 9 })).hours).toBeTruthy()
    expect(checkPlan(fakePlan({ quietDays: [0, 1, 2, 3, 4, 5, 6] })).days).toBeTruthy()
    expect(checkPlan(fakePlan({ steps: [] })).steps).toBe('Write the first request.')
    expect(checkPlan(fakePlan({ steps: [{ subject: 'a', body: '' }, { subject: ' ', body: 'x' }] })).steps).toBe('Reminder 1 needs a subject.')
  })

  it('the chase list’s next reminder cell', () => {
    const n = { clientKey: 'c1', date: '2026-12-09', step: 1, planId: 'p', paused: '', optedOut: false, stopped: false, note: '' }
    expect(nextLook(n, '2026-12-04')).toMatchObject({ text: '9 Dec', muted: false })
    expect(nextLook({ ...n, date: '2026-12-04', step: 0 }, '2026-12-04')).toMatchObject({ text: 'Today', title: 'First request today' })
    expect(nextLook({ ...n, paused: '2026-12-20' }, '2026-12-04').text).toBe('Paused to 20 Dec')
    expect(nextLook({ ...n, paused: '2026-12-01' }, '2026-12-04').text).toBe('9 Dec') // a pause that ended
    expect(nextLook({ ...n, optedOut: true }, '2026-12-04').text).toBe('Opted out')
    expect(nextLook({ ...n, stopped: true }, '2026-12-04').text).toBe('Stopped')
    expect(nextLook(undefined).text).toBe('—')
  })

  it('orders the queue: what needs a person first', () => {
    const items = [fakeItem({ id: 1, status: 'sent', clientName: 'A' }), fakeItem({ id: 2, status: 'due', clientName: 'B' }),
      fakeItem({ id: 3, status: 'unsure', clientName: 'C' }), fakeItem({ id: 4, status: 'failed', clientName: 'D' }), fakeItem({ id: 5, status: 'due', clientName: 'A' })]
    expect(queueOrder(items).map((i) => i.id)).toEqual([3, 4, 5, 2, 1])
    expect(sendable(items)).toEqual([2, 5])
  })

  it('groups the week by day', () => {
    const g = byDay([fakeItem({ due: '2026-12-08', clientName: 'B' }), fakeItem({ due: '2026-12-07' }), fakeItem({ due: '2026-12-08', clientName: 'A' })])
    expect(g.map((d) => [d.day, d.items.map((i) => i.clientName)])).toEqual([['2026-12-07', ['Cedar Cafe']], ['2026-12-08', ['A', 'B']]])
  })

  it('says what Send all did', () => {
    expect(sendAllWords([fakeItem({ status: 'sent' }), fakeItem({ status: 'sent' })])).toEqual({ text: '2 reminders sent.', kind: 'success' })
    expect(sendAllWords([fakeItem({ status: 'sent' }), fakeItem({ status: 'stopped' }), fakeItem({ status: 'failed' })]))
      .toEqual({ text: '1 reminder sent, 1 stopped (no longer needed), 1 not sent.', kind: 'warning' })
  })

  it('ports follow the security choice', () => {
    expect(portFor('starttls')).toBe(587)
    expect(portFor('tls')).toBe(465)
  })

  it('splits a reminder’s Activity detail as the Go side writes it (remind.logItem)', () => {
    const sent = reminderActivity('Sent: First request to mia@cedar.nz. Message-ID <abc@chase.md>.\n\nSubject: Documents needed\n\nHi Mia,\n- Bank statements')
    expect(sent).toMatchObject({ label: 'Reminder sent', tone: 'success', summary: 'Sent: First request to mia@cedar.nz. Message-ID <abc@chase.md>.' })
    expect(sent.email).toBe('Subject: Documents needed\n\nHi Mia,\n- Bank statements')
    expect(reminderActivity('Stopped: Reminder 2 to a@b.nz. Why: documents arrived.')).toMatchObject({ label: 'Reminder stopped', email: '' })
    expect(reminderActivity('Not sent yet, will try again: Reminder 1 to a@b.nz.').tone).toBe('warning')
    expect(reminderActivity('Not sent: Reminder 1 to a@b.nz. The mail server refused the login.').label).toBe('Reminder not sent')
    expect(reminderActivity('Skipped: Reminder 1.').label).toBe('Reminder skipped')
    expect(reminderActivity('May have been sent: First request.').label).toBe('Check Sent items')
    expect(reminderActivity('The client opted out of reminders.')).toMatchObject({ label: 'Reminder', summary: 'The client opted out of reminders.' })
  })

  it('history: a Go side without it says so in words', async () => {
    installFakeBackend()
    await expect(remindApi.history(10)).rejects.toMatchObject({ code: 'unsupported' })
  })
})

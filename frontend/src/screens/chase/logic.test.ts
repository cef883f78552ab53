import { describe, expect, it } from 'vitest'
import { ageOf, sortRows, type ChaseRow } from '../../lib/chaseApi'
import { defaultTemplate, emailData, fill, insertAt, render, unknownPlaceholders } from './emailTemplate'
import { pick, prune, toggleAll } from './selection'
import { visibleRange } from '../clients/virtual'

const ZERO = '0001-01-01T00:00:00Z'
const now = new Date('2026-12-04T09:00:00Z')
const row = (p: Partial<ChaseRow>): ChaseRow => ({
  clientKey: p.clientName ?? 'k', clientName: 'Client', state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO,
  daysWaiting: 0, docsSince: 0, lastChased: ZERO, source: 'xpm', ...p,
})

describe('ageing', () => {
  it('an overdue due date says so in words, with the date', () => {
    const a = ageOf(row({ dueDate: '2026-12-02T00:00:00Z', ageDays: 40, ageBasis: 'start' }), now)
    expect(a).toMatchObject({ basis: 'due', days: 2, overdue: true, text: '2 days overdue · due 2 Dec' })
  })
  it('otherwise the Go side’s basis: since the job started, or since first seen waiting — non-zero on day one', () => {
    expect(ageOf(row({ ageDays: 12, ageBasis: 'start', startDate: '2026-11-22T00:00:00Z' }), now).text).toBe('12 days since start')
    expect(ageOf(row({ ageDays: 1, ageBasis: 'waiting' }), now).text).toBe('Waiting 1 day')
    expect(ageOf(row({ ageDays: 3, ageBasis: 'seen', ageLabel: 'first seen 3 days ago' }), now).text).toBe('First seen 3 days ago')
    // An older Go side sends no basis: the start date if there is one, then waitingSince.
    expect(ageOf(row({ startDate: '2026-11-04T00:00:00Z' }), now)).toMatchObject({ basis: 'start', days: 30 })
    expect(ageOf(row({ waitingSince: '2026-12-01T10:00:00Z', daysWaiting: 0 }), now)).toMatchObject({ basis: 'waiting', days: 3 })
    expect(ageOf(row({ dueDate: '2026-12-04T00:00:00Z', ageDays: 5, ageBasis: 'start' }), now).text).toBe('5 days since start · due today')
  })
})

describe('sort by need (the default)', () => {
  it('overdue first (most overdue first), then the longest waiting, then never or least recently chased', () => {
    const rs = [
      row({ jobId: 'fresh', ageDays: 2, ageBasis: 'start' }),
      row({ jobId: 'old-chased', ageDays: 50, ageBasis: 'start', lastChased: '2026-12-03T00:00:00Z' }),
      row({ jobId: 'old-never', ageDays: 50, ageBasis: 'start' }),
      row({ jobId: 'late-1', dueDate: '2026-12-03T00:00:00Z' }),
      row({ jobId: 'late-9', dueDate: '2026-11-25T00:00:00Z' }),
    ]
    expect(sortRows(rs, 'need', false, now).map((r) => r.jobId)).toEqual(['late-9', 'late-1', 'old-never', 'old-chased', 'fresh'])
    expect(sortRows(rs, 'need', true, now).map((r) => r.jobId)).toEqual(['fresh', 'old-chased', 'old-never', 'late-1', 'late-9'])
  })
  it('sorts 5,000 rows', () => {
    const many = Array.from({ length: 5000 }, (_, i) => row({ clientName: `C${i}`, jobId: `J${i}`, ageDays: (i * 7919) % 400, ageBasis: 'start' }))
    const out = sortRows(many, 'need', false, now)
    expect(out).toHaveLength(5000)
    for (let i = 1; i < out.length; i++) expect(out[i - 1].ageDays! >= out[i].ageDays!).toBe(true)
  })
})

describe('email placeholders', () => {
  const rows = [
    row({ clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', email: 'mia@cedar.nz', jobId: 'J1', jobName: 'GST Return', dueDate: '2026-12-20T00:00:00Z', docsNeeded: ['Bank statements', 'Invoices'] }),
    row({ clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', jobId: 'J2', jobName: 'Annual Accounts', docsNeeded: ['bank statements'] }),
    row({ clientKey: 'c1', clientName: 'Cedar Cafe', jobId: 'J3', jobName: 'Payroll' }),
  ]
  const d = emailData(rows, 'c1', 'Smith & Co')
  it('inserts at the caret, replacing a selection', () => {
    expect(insertAt('Hi ,', 3, 3, '{client first name}')).toEqual({ value: 'Hi {client first name},', caret: 22 })
    expect(insertAt('Hi you,', 3, 6, '{client first name}')).toEqual({ value: 'Hi {client first name},', caret: 22 })
    expect(insertAt('', 9, 9, 'x')).toEqual({ value: 'x', caret: 1 })
  })
  it('fills names, jobs and each document needed once; a job with no list asks for its records', () => {
    expect(fill('Hi {client first name}, from {Practice Name}', d)).toBe('Hi Mia, from Smith & Co')
    expect(fill('{jobs}', d)).toBe('- GST Return (due 20 Dec 2026)\n- Annual Accounts\n- Payroll')
    expect(fill('{documents needed}', d)).toBe('- Bank statements\n- Invoices\n- the records for Payroll')
    expect(fill('{frist name}', d)).toBe('{frist name}')
    expect(unknownPlaceholders('{frist name} {jobs}')).toEqual(['frist name'])
  })
  it('renders subject and body; no first name greets "there"', () => {
    const e = render(defaultTemplate, emailData([row({ clientKey: 'x', clientName: 'Kauri Ltd', jobId: 'J9', jobName: 'GST' })], 'x', 'P'))
    expect(e.subject).toBe('Documents needed for Kauri Ltd')
    expect(e.body.startsWith('Hi there,')).toBe(true)
    expect(e.body).not.toMatch(/[{}]/)
  })
})

describe('selection', () => {
  const keys = ['a', 'b', 'c', 'd', 'e']
  it('click toggles one; shift-click sets the range from the last click', () => {
    let s = pick(keys, { selected: new Set(), anchor: -1 }, 1, false)
    expect([...s.selected]).toEqual(['b'])
    s = pick(keys, s, 3, true)
    expect([...s.selected].sort()).toEqual(['b', 'c', 'd'])
    s = pick(keys, s, 2, false)
    expect([...s.selected].sort()).toEqual(['b', 'd'])
    s = pick(keys, s, 0, true) // a was off, so a … c (from the last click) go on
    expect([...s.selected].sort()).toEqual(['a', 'b', 'c', 'd'])
    s = pick(keys, s, 4, true) // e was off: a … e on
    expect(s.selected.size).toBe(5)
  })
  it('select all shown, then none; rows that left are dropped', () => {
    let s = toggleAll(keys, { selected: new Set(['a']), anchor: 0 })
    expect(s.selected.size).toBe(5)
    s = toggleAll(keys, s)
    expect(s.selected.size).toBe(0)
    expect([...prune(['a', 'c'], { selected: new Set(['a', 'b']), anchor: 1 }).selected]).toEqual(['a'])
  })
})

describe('virtual window of the chase list', () => {
  it('renders a screenful of 40 px rows out of 5,000, plus overscan', () => {
    expect(visibleRange(0, 400, 40, 5000, 6)).toEqual({ start: 0, end: 16 })
    expect(visibleRange(2500 * 40, 400, 40, 5000, 6)).toEqual({ start: 2494, end: 2516 })
    expect(visibleRange(5000 * 40, 400, 40, 5000, 6)).toEqual({ start: 4994, end: 5000 })
  })
})

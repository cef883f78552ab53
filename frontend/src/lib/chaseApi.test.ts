import { describe, expect, it } from 'vitest'
import { countRows, emailText, emptyFilter, filterRows, fmtDate, isOverdue, mailtoHref, sortRows, statesOf, toDate, type ChaseRow } from './chaseApi'

const ZERO = '0001-01-01T00:00:00Z'
const now = new Date('2026-03-10T09:00:00Z')

function row(p: Partial<ChaseRow>): ChaseRow {
  return {
    clientKey: p.clientName ?? 'k', clientName: 'Client', state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO,
    daysWaiting: 0, docsSince: 0, lastChased: ZERO, source: 'xpm', ...p,
  }
}

const rows: ChaseRow[] = [
  row({ clientName: 'Bluestone Dental', jobId: 'J000003', jobName: 'GST Return', dueDate: '2026-03-01T00:00:00Z', daysWaiting: 12, docsSince: 0, lastChased: '2026-03-05T10:00:00Z', email: 'info@bluestone.co.nz' }),
  row({ clientName: 'alpine motors', jobId: 'J000001', jobName: 'Annual Accounts', dueDate: '2026-04-30T00:00:00Z', daysWaiting: 3, docsSince: 2, state: 'Records Requested' }),
  row({ clientName: 'Cedar Cafe', jobId: 'J000002', jobName: 'Income Tax Return', daysWaiting: 30, docsSince: 1, lastChased: '2026-02-01T10:00:00Z', phone: '09 555 0101' }),
  row({ clientName: 'Bluestone Dental', clientKey: 'Bluestone Dental', jobId: 'J000004', jobName: 'FBT Return', dueDate: '2026-03-09T00:00:00Z', daysWaiting: 12 }),
]
const names = (rs: ChaseRow[]) => rs.map((r) => r.jobId)

describe('dates', () => {
  it('treats Go zero time as none', () => {
    expect(toDate(ZERO)).toBeNull()
    expect(toDate('')).toBeNull()
    expect(fmtDate(ZERO)).toBe('')
    expect(fmtDate('2026-03-01T00:00:00Z')).toBe('1 Mar 2026')
  })
  it('overdue is a due date before today (UTC days), never a missing one', () => {
    expect(isOverdue(rows[0], now)).toBe(true)
    expect(isOverdue(rows[1], now)).toBe(false)
    expect(isOverdue(rows[2], now)).toBe(false)
    expect(isOverdue(row({ dueDate: '2026-03-10T00:00:00Z' }), now)).toBe(false)
  })
})

describe('sortRows', () => {
  it('client: case-insensitive A–Z, then job; descending reverses', () => {
    expect(names(sortRows(rows, 'client'))).toEqual(['J000001', 'J000003', 'J000004', 'J000002'])
    expect(names(sortRows(rows, 'client', true))).toEqual(['J000002', 'J000003', 'J000004', 'J000001'])
  })
  it('due: earliest first, undated last in both directions', () => {
    expect(names(sortRows(rows, 'due'))).toEqual(['J000003', 'J000004', 'J000001', 'J000002'])
    expect(names(sortRows(rows, 'due', true))).toEqual(['J000001', 'J000004', 'J000003', 'J000002'])
  })
  it('waiting: longest first', () => {
    expect(names(sortRows(rows, 'waiting'))).toEqual(['J000002', 'J000003', 'J000004', 'J000001'])
  })
  it('chased: never chased first, then the longest ago', () => {
    expect(names(sortRows(rows, 'chased'))).toEqual(['J000001', 'J000004', 'J000002', 'J000003'])
  })
  it('docs: most received first; does not touch the input', () => {
    const before = names(rows)
    expect(names(sortRows(rows, 'docs'))[0]).toBe('J000001')
    expect(names(rows)).toEqual(before)
  })
})

describe('filterRows and counts', () => {
  it('text matches every word across client, job, state, email and phone', () => {
    expect(names(filterRows(rows, { ...emptyFilter(), text: 'bluestone gst' }, now))).toEqual(['J000003'])
    expect(names(filterRows(rows, { ...emptyFilter(), text: '555' }, now))).toEqual(['J000002'])
    expect(filterRows(rows, { ...emptyFilter(), text: 'nobody' }, now)).toEqual([])
  })
  it('state, overdue only and no documents yet narrow', () => {
    expect(names(filterRows(rows, { ...emptyFilter(), state: 'records requested' }, now))).toEqual(['J000001'])
    expect(names(filterRows(rows, { ...emptyFilter(), overdueOnly: true }, now))).toEqual(['J000003', 'J000004'])
    expect(names(filterRows(rows, { ...emptyFilter(), noDocsOnly: true }, now))).toEqual(['J000003', 'J000004'])
  })
  it('counts jobs, distinct clients, overdue and no-document rows', () => {
    expect(countRows(rows, now)).toEqual({ rows: 4, clients: 3, overdue: 2, noDocs: 2 })
    expect(statesOf(rows)).toEqual(['Awaiting Information', 'Records Requested'])
  })
})

describe('chase email text', () => {
  const e = { to: 'info@bluestone.co.nz', subject: 'Documents needed for Bluestone Dental', body: 'Hi Sam,\n\n- GST Return\n\n' }
  it('puts To and Subject above the body', () => {
    expect(emailText(e)).toBe('To: info@bluestone.co.nz\nSubject: Documents needed for Bluestone Dental\n\nHi Sam,\n\n- GST Return\n')
    expect(emailText({ ...e, to: '' }).startsWith('Subject: ')).toBe(true)
  })
  it('mailto link encodes subject and body', () => {
    const href = mailtoHref(e)
    expect(href.startsWith('mailto:info%40bluestone.co.nz?subject=Documents%20needed')).toBe(true)
    expect(decodeURIComponent(href.split('&body=')[1])).toBe(e.body)
  })
})

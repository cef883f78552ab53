import { describe, expect, it } from 'vitest'
import { item } from '../../test/fakeUploads'
import { clock, describeItem, duplicateDate, formatBytes, outcomeWords, UNCHANGED } from './wording'

const now = new Date('2026-11-22T10:00:00Z')

describe('upload states in words', () => {
  it('says each state the way the Uploads screen shows it', () => {
    const cases: [Parameters<typeof describeItem>[0], number | undefined, string, string[]][] = [
      [item({ id: 1, name: 'a.pdf', state: 'queued' }), undefined, 'Queued', ['cancel']],
      [item({ id: 1, name: 'a.pdf', state: 'uploading', size: 2000 }), 900, 'Uploading 45%', ['cancel']],
      [item({ id: 1, name: 'a.pdf', state: 'uploading' }), undefined, 'Uploading…', ['cancel']],
      [item({ id: 1, name: 'a.pdf', state: 'associating' }), undefined, 'Filing in Xero…', ['cancel']],
      [item({ id: 1, name: 'a.pdf', state: 'done', fileId: 'f1' }), undefined, 'Filed in Xero', []],
      [item({ id: 1, name: 'a.pdf', state: 'waiting_reconnect', reason: 'Sign in again.' }), undefined, 'Waiting for you to reconnect', ['retry', 'cancel']],
      [item({ id: 1, name: 'a.pdf', state: 'failed', reason: 'Xero said the file is damaged.' }), undefined, 'Failed — Xero said the file is damaged.', ['retry']],
      [item({ id: 1, name: 'a.pdf', state: 'cancelled' }), undefined, 'Cancelled', ['retry']],
      [item({ id: 0, name: 'a.exe', state: 'refused', reason: "Xero doesn't accept .exe files." }), undefined, "Refused — Xero doesn't accept .exe files.", []],
      [item({ id: 1, name: 'a.pdf', state: 'skipped_duplicate',
        note: 'Already uploaded to Acme on 3 Nov 2026 14:05 as "a.pdf", so it was skipped. Choose Upload anyway to send it again.' }),
      undefined, 'Skipped — already uploaded on 3 Nov', ['force']],
    ]
    for (const [it, sent, label, actions] of cases) {
      const w = describeItem(it, sent, now)
      expect(w.label, it.state).toBe(label)
      expect(w.actions, it.state).toEqual(actions)
    }
  })

  it('says a retry is waiting, when and which attempt, then the failure after the budget', () => {
    const next = new Date(now.getTime() + 12 * 60_000).toISOString()
    const w = describeItem(item({ id: 1, name: 'a.pdf', state: 'uploaded', attempts: 2, nextAt: next,
      reason: 'Retrying: Xero is having trouble right now.' }), undefined, now)
    expect(w.label).toBe(`Xero had a problem — trying again at ${clock(next)}, attempt 3`)
    expect(w.detail).toBe('Xero is having trouble right now.')
    expect(w.tone).toBe('warning')
    const f = describeItem(item({ id: 1, name: 'a.pdf', state: 'failed', attempts: 8, retryable: true,
      reason: 'Xero is having trouble right now. Choose Retry to try again.' }), undefined, now)
    expect(f.label).toBe('Failed — Xero is having trouble right now. Choose Retry to try again.')
    expect(f.actions).toEqual(['retry'])
    const l = describeItem(item({ id: 1, name: 'a.pdf', state: 'queued', nextAt: next,
      reason: "Xero's daily limit for this organisation is used up; it will continue when the limit resets." }), undefined, now)
    expect(l.label).toBe(`Waiting until ${clock(next)}`)
    expect(l.detail).toContain('daily limit')
  })

  it('an upload in flight while Xero cannot be reached waits, not "Uploading 100%"', () => {
    const until = new Date(now.getTime() + 60_000).toISOString()
    const w = describeItem(item({ id: 1, name: 'a.pdf', state: 'uploading', size: 100 }), 100, now, { kind: 'unreachable', until })
    expect(w.label).toBe(`Waiting for Xero — trying again at ${clock(until)}`)
    expect(describeItem(item({ id: 1, name: 'a.pdf', state: 'uploading', size: 100 }), 100, now, { kind: 'connected' }).label).toBe('Uploading 100%')
  })

  it('shows a bar only while a file is on its way, and never past 100%', () => {
    expect(describeItem(item({ id: 1, name: 'a', state: 'queued' })).progress).toBeUndefined()
    expect(describeItem(item({ id: 1, name: 'a', state: 'uploading', size: 100 }), 250).progress).toBe(1)
    expect(describeItem(item({ id: 1, name: 'a', state: 'uploading', size: 100 }), 250).label).toBe('Uploading 100%')
    expect(describeItem(item({ id: 1, name: 'a', state: 'uploaded' })).progress).toBeNull()
  })

  it('reassures that a refused file was left alone', () => {
    expect(describeItem(item({ id: 0, name: 'a.exe', state: 'refused', reason: 'x' })).detail).toBe(UNCHANGED)
    expect(UNCHANGED).toBe('Your file was not moved or changed.')
  })

  it('reads the first upload day from the duplicate note', () => {
    expect(duplicateDate('Already uploaded to Acme on 3 Nov 2026 14:05 as "a.pdf"', now)).toBe('3 Nov')
    expect(duplicateDate('Already uploaded to Acme on 28 Feb 2025 09:15 as "a.pdf"', now)).toBe('28 Feb 2025')
    // A client whose name itself has "on 1 Jan 2020" in it does not fool it: the time must follow.
    expect(duplicateDate('Already uploaded to Fish on 1 Jan 2020 Ltd on 9 Oct 2026 08:00 as "a.pdf"', now)).toBe('9 Oct')
    expect(duplicateDate('something else', now)).toBe('')
  })

  it('formats sizes like the Go side', () => {
    expect(formatBytes(12 * 1024 * 1024)).toBe('12.0 MB')
    expect(formatBytes(850 * 1024)).toBe('850 KB')
    expect(formatBytes(1)).toBe('1 byte')
    expect(formatBytes(12)).toBe('12 bytes')
  })

  it('words outcomes for the activity log', () => {
    expect(outcomeWords('done')).toEqual({ text: 'Filed', tone: 'success' })
    expect(outcomeWords('skipped_duplicate').text).toBe('Skipped (already uploaded)')
    expect(outcomeWords('failed').tone).toBe('danger')
  })
})

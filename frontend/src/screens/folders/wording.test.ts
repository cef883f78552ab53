import { describe, expect, it } from 'vitest'
import { afterLabel, confidence, filedMessage, folderState, formatBytes, modeLabel, reviewWhy, where } from './wording'

describe('folderState', () => {
  it('names each state and says what to do only when something is wrong', () => {
    expect(folderState({ state: 'watching', paused: false })).toMatchObject({ label: 'Watching', tone: 'success', todo: '' })
    expect(folderState({ state: 'paused', paused: true })).toMatchObject({ label: 'Paused', tone: 'neutral', todo: '' })
    const err = folderState({ state: 'error', paused: false, message: 'The folder /scans cannot be found: it was moved, renamed or its drive is offline. chase.md keeps trying.' })
    expect(err.label).toBe('Needs attention')
    expect(err.tone).toBe('warning')
    expect(err.detail).toContain('/scans cannot be found')
    expect(err.todo).toMatch(/drive or network share is connected/)
  })
  it('tells a user pause from a watcher that is not running', () => {
    expect(folderState({ state: 'paused', paused: false, message: 'not running' }).label).toBe('Not running')
  })
  it('a paused folder reads paused whatever the watcher last said', () => {
    expect(folderState({ state: 'error', paused: true, message: 'gone' }).label).toBe('Paused')
  })
})

describe('reviewWhy', () => {
  const s = (name: string, c: number) => ({ contactId: name, name, confidence: c, reason: 'name in file name' })
  it('explains a tie with both names', () => {
    const w = reviewWhy({ kind: 'tie', reason: '', suggestions: [s('Smith & Co Ltd', 0.8), s('Smith and Co Limited', 0.8)] })
    expect(w.title).toBe('Two clients match equally')
    expect(w.detail).toBe('It could belong to Smith & Co Ltd or Smith and Co Limited. Choose which one.')
  })
  it('uses the refusal itself as the title', () => {
    const w = reviewWhy({ kind: 'refused', reason: 'This file is 12.4 MB; Xero accepts files up to 10 MB.', suggestions: [] })
    expect(w.title).toBe('This file is 12.4 MB; Xero accepts files up to 10 MB.')
    expect(w.detail).toMatch(/stays in the folder/)
  })
  it('says no confident match, and whether there is anything to choose from', () => {
    expect(reviewWhy({ kind: 'no_match', reason: 'x', suggestions: [] }).detail).toMatch(/Search for the client/)
    expect(reviewWhy({ kind: 'unreadable', reason: "chase.md can't read this file (permission denied).", suggestions: [] }).title).toBe("chase.md can't read this file")
    expect(reviewWhy({ kind: 'unfinished', reason: 'x', suggestions: [] }).title).toBe('This file looks unfinished')
    expect(reviewWhy({ kind: 'failed', reason: 'The upload did not finish: Xero refused it.', suggestions: [] }).detail).toMatch(/choose its client to send it again/)
    expect(reviewWhy({ kind: 'no_match', reason: 'x', suggestions: [s('A', 0.4)] }).title).toBe('No confident match')
  })
})

describe('filedMessage', () => {
  it('counts files for one client', () => {
    expect(filedMessage([{ client: 'Smith & Co Ltd', count: 3 }])).toBe('3 files filed for Smith & Co Ltd')
    expect(filedMessage([{ client: 'Jones', count: 1 }])).toBe('1 file filed for Jones')
  })
  it('sums up several clients', () => {
    expect(filedMessage([{ client: 'A', count: 2 }, { client: 'B', count: 1 }])).toBe('3 files filed for A and B')
    expect(filedMessage([{ client: 'A', count: 1 }, { client: 'B', count: 1 }, { client: 'C', count: 1 }, { client: 'D', count: 1 }])).toBe(
      '4 files filed for A, B and 2 more',
    )
    expect(filedMessage([])).toBe('')
  })
})

describe('small words', () => {
  it('formats modes, actions, confidence, sizes and places', () => {
    expect(modeLabel('fixed', 'Jones Ltd')).toBe('Always Jones Ltd')
    expect(modeLabel('subfolder')).toBe('Sub-folder named after the client')
    expect(afterLabel('leave')).toBe('Left in place after filing')
    expect(confidence(0.876)).toBe('88%')
    expect(confidence(1.2)).toBe('100%')
    expect(formatBytes(12.4 * 1024 * 1024)).toBe('12.4 MB')
    expect(formatBytes(2048)).toBe('2 KB')
    expect(where('Smith/2026/scan.pdf')).toBe('Smith/2026')
    expect(where('scan.pdf')).toBe('')
  })
})

describe('batchFiled', () => {
  it('sums a batch per client into one message after a quiet moment', async () => {
    const { vi } = await import('vitest')
    const { batchFiled } = await import('./filedToasts')
    vi.useFakeTimers()
    const got: string[] = []
    const b = batchFiled((m) => got.push(m), 1000)
    b.add({ contactId: 'a', client: 'Smith & Co Ltd' })
    vi.advanceTimersByTime(500)
    b.add({ contactId: 'a', client: 'Smith & Co Ltd' })
    b.add({ contactId: 'a', client: 'Smith & Co Ltd' })
    expect(got).toEqual([])
    vi.advanceTimersByTime(1000)
    expect(got).toEqual(['3 files filed for Smith & Co Ltd'])
    b.add({ contactId: 'b', client: 'Jones' })
    vi.advanceTimersByTime(1000)
    expect(got[1]).toBe('1 file filed for Jones')
    vi.useRealTimers()
  })
})

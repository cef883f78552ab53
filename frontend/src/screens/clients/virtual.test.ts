import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { debounce, moveActive, pagesFor, scrollToReveal, visibleRange } from './virtual'
import { ago, fileSize, plural } from './format'

describe('visibleRange', () => {
  it('renders only the rows in view plus overscan, for 10,000 rows', () => {
    expect(visibleRange(0, 520, 52, 10_000, 8)).toEqual({ start: 0, end: 18 })
    // scrolled to row 5,000: rows 4,992 … 5,018
    expect(visibleRange(5000 * 52, 520, 52, 10_000, 8)).toEqual({ start: 4992, end: 5018 })
    const r = visibleRange(5000 * 52 + 26, 520, 52, 10_000, 8)
    expect(r.end - r.start).toBeLessThanOrEqual(10 + 1 + 16)
  })
  it('clamps at the end and for short and empty lists', () => {
    expect(visibleRange(10_000 * 52, 520, 52, 10_000, 8)).toEqual({ start: 9992, end: 10_000 })
    expect(visibleRange(0, 520, 52, 3, 8)).toEqual({ start: 0, end: 3 })
    expect(visibleRange(0, 520, 52, 0, 8)).toEqual({ start: 0, end: 0 })
    expect(visibleRange(-40, 520, 52, 100, 0)).toEqual({ start: 0, end: 10 })
  })
})

describe('pagesFor', () => {
  it('lists the pages that cover a range', () => {
    expect(pagesFor({ start: 0, end: 18 }, 100)).toEqual([0])
    expect(pagesFor({ start: 95, end: 105 }, 100)).toEqual([0, 1])
    expect(pagesFor({ start: 100, end: 200 }, 100)).toEqual([1])
    expect(pagesFor({ start: 5, end: 5 }, 100)).toEqual([])
  })
})

describe('scrollToReveal', () => {
  it('scrolls only when the row is outside the viewport', () => {
    expect(scrollToReveal(3, 0, 520, 52)).toBeNull()
    expect(scrollToReveal(10, 0, 520, 52)).toBe(52) // just below: align its bottom
    expect(scrollToReveal(2, 520, 520, 52)).toBe(104) // above: align its top
  })
})

describe('moveActive', () => {
  it('moves with the arrows, pages and ends, within bounds', () => {
    expect(moveActive('ArrowDown', -1, 10, 5)).toBe(0)
    expect(moveActive('ArrowDown', 9, 10, 5)).toBe(9)
    expect(moveActive('ArrowUp', 0, 10, 5)).toBe(0)
    expect(moveActive('PageDown', 0, 10, 5)).toBe(4)
    expect(moveActive('End', 2, 10, 5)).toBe(9)
    expect(moveActive('Home', 7, 10, 5)).toBe(0)
    expect(moveActive('a', 2, 10, 5)).toBeNull()
    expect(moveActive('ArrowDown', -1, 0, 5)).toBe(-1)
  })
})

describe('debounce', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())
  it('calls once with the last arguments after the pause', () => {
    const fn = vi.fn()
    const d = debounce(fn, 150)
    d('a'); d('ac'); d('acm')
    vi.advanceTimersByTime(149)
    expect(fn).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    expect(fn).toHaveBeenCalledTimes(1)
    expect(fn).toHaveBeenCalledWith('acm')
  })
  it('restarts the pause on each call; cancel drops and flush runs at once', () => {
    const fn = vi.fn()
    const d = debounce(fn, 100)
    d(1); vi.advanceTimersByTime(90); d(2); vi.advanceTimersByTime(90)
    expect(fn).not.toHaveBeenCalled()
    d.cancel(); vi.advanceTimersByTime(500)
    expect(fn).not.toHaveBeenCalled()
    d(3); expect(d.pending()).toBe(true); d.flush()
    expect(fn).toHaveBeenCalledWith(3)
    expect(d.pending()).toBe(false)
  })
})

describe('format', () => {
  const now = Date.parse('2026-11-22T10:00:00Z')
  it('says how long ago', () => {
    expect(ago('0001-01-01T00:00:00Z', now)).toBe('')
    expect(ago('2026-11-22T09:59:30Z', now)).toBe('just now')
    expect(ago('2026-11-22T09:55:00Z', now)).toBe('5 minutes ago')
    expect(ago('2026-11-22T07:00:00Z', now)).toBe('3 hours ago')
    expect(ago('2026-11-21T09:00:00Z', now)).toBe('yesterday')
  })
  it('sizes and counts', () => {
    expect(fileSize(512)).toBe('512 B')
    expect(fileSize(2048)).toBe('2.0 KB')
    expect(fileSize(3 * 1024 * 1024)).toBe('3.0 MB')
    expect(plural(1, 'client')).toBe('1 client')
    expect(plural(10000, 'client')).toBe('10,000 clients')
  })
})

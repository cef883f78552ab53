// The maths of the virtualised client list: which rows to render for a scroll
// position, which pages of rows to fetch, and where to scroll to show a row.
// Rows have one fixed height, so all of it is arithmetic (no measuring).

export interface Range {
  /** first row to render */
  start: number
  /** one past the last row to render */
  end: number
}

/** Rows visible in a viewport of height viewportH scrolled to scrollTop, plus overscan rows each side. */
export function visibleRange(scrollTop: number, viewportH: number, rowH: number, total: number, overscan = 8): Range {
  if (total <= 0 || rowH <= 0) return { start: 0, end: 0 }
  const first = Math.floor(Math.max(0, scrollTop) / rowH)
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportH)) / rowH)
  const start = Math.min(total, Math.max(0, first - overscan))
  const end = Math.min(total, Math.max(start, last + overscan))
  return { start, end }
}

/** The page numbers (page i holds rows i*pageSize … (i+1)*pageSize-1) that cover rows [start, end). */
export function pagesFor(r: Range, pageSize: number): number[] {
  if (r.end <= r.start) return []
  const out: number[] = []
  for (let p = Math.floor(r.start / pageSize); p <= Math.floor((r.end - 1) / pageSize); p++) out.push(p)
  return out
}

/**
 * The scrollTop that brings row index fully into view, or null when it already is:
 * a row above the viewport aligns to the top, one below aligns to the bottom.
 */
export function scrollToReveal(index: number, scrollTop: number, viewportH: number, rowH: number): number | null {
  const top = index * rowH
  const bottom = top + rowH
  if (top < scrollTop) return top
  if (bottom > scrollTop + viewportH) return Math.max(0, bottom - viewportH)
  return null
}

/** Moves the active row by a key press; returns the new index (−1 when the list is empty) or null for other keys. */
export function moveActive(key: string, index: number, total: number, pageRows: number): number | null {
  if (total <= 0) return key === 'ArrowDown' || key === 'ArrowUp' ? -1 : null
  const clamp = (i: number) => Math.min(total - 1, Math.max(0, i))
  switch (key) {
    case 'ArrowDown': return clamp(index < 0 ? 0 : index + 1)
    case 'ArrowUp': return clamp(index < 0 ? 0 : index - 1)
    case 'PageDown': return clamp(Math.max(index, 0) + Math.max(1, pageRows - 1))
    case 'PageUp': return clamp(Math.max(index, 0) - Math.max(1, pageRows - 1))
    case 'Home': return 0
    case 'End': return total - 1
    default: return null
  }
}

/** A debounced function: calls fn once, ms after the last call; cancel() drops a pending call, flush() runs it now. */
export function debounce<A extends unknown[]>(fn: (...args: A) => void, ms: number) {
  let timer: ReturnType<typeof setTimeout> | null = null
  let last: A | null = null
  const d = (...args: A) => {
    last = args
    if (timer !== null) clearTimeout(timer)
    timer = setTimeout(() => {
      timer = null
      const a = last!
      last = null
      fn(...a)
    }, ms)
  }
  d.cancel = () => {
    if (timer !== null) clearTimeout(timer)
    timer = null
    last = null
  }
  d.flush = () => {
    if (timer === null) return
    clearTimeout(timer)
    timer = null
    const a = last!
    last = null
    fn(...a)
  }
  d.pending = () => timer !== null
  return d
}

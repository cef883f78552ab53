// Selecting many rows of the chase list: a click toggles one, a shift-click
// sets everything between the last clicked row and this one to the state the
// clicked row takes, as in a mail program. Pure, so it is unit-tested.

export interface Pick {
  selected: Set<string>
  /** the row a later shift-click extends from */
  anchor: number
}

/** The selection after clicking (or pressing Space on) row index of keys, with or without shift. */
export function pick(keys: string[], sel: Pick, index: number, shift: boolean): Pick {
  const next = new Set(sel.selected)
  const key = keys[index]
  if (key === undefined) return sel
  const on = !next.has(key)
  if (shift && sel.anchor >= 0 && sel.anchor < keys.length) {
    const [a, b] = sel.anchor < index ? [sel.anchor, index] : [index, sel.anchor]
    for (let i = a; i <= b; i++) on ? next.add(keys[i]) : next.delete(keys[i])
  } else if (on) next.add(key)
  else next.delete(key)
  return { selected: next, anchor: index }
}

/** All shown rows selected, or none when they all were. */
export function toggleAll(keys: string[], sel: Pick): Pick {
  const all = keys.length > 0 && keys.every((k) => sel.selected.has(k))
  const next = new Set(sel.selected)
  for (const k of keys) all ? next.delete(k) : next.add(k)
  return { selected: next, anchor: -1 }
}

/** Keeps only keys still on the list (after a refresh). */
export function prune(keys: Iterable<string>, sel: Pick): Pick {
  const live = new Set(keys)
  const next = new Set([...sel.selected].filter((k) => live.has(k)))
  return next.size === sel.selected.size ? sel : { selected: next, anchor: -1 }
}

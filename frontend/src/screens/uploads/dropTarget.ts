// Which client a drop is for: the nearest element marked with
// data-drop-client-id (client list rows and the client page carry it).
export interface DropTarget {
  clientId: string
  clientName: string
}

export const DROP_ATTR = 'data-drop-client-id'
export const DROP_NAME_ATTR = 'data-drop-client-name'

/** The client el is on (itself or an ancestor), or null for a drop outside any client. */
export function dropTargetFrom(el: Element | null): DropTarget | null {
  const host = el?.closest(`[${DROP_ATTR}]`)
  const id = host?.getAttribute(DROP_ATTR)?.trim()
  if (!host || !id) return null
  return { clientId: id, clientName: host.getAttribute(DROP_NAME_ATTR)?.trim() ?? '' }
}

/** The client under the window point (x, y), as Wails reports a drop. */
export function dropTargetAt(x: number, y: number, doc: Document = document): DropTarget | null {
  return dropTargetFrom(doc.elementFromPoint(x, y))
}

/** The centre of the first element marked for clientId, for replaying a drop on it. */
export function pointOfClient(clientId: string, doc: Document = document): { x: number; y: number } | null {
  const el = [...doc.querySelectorAll(`[${DROP_ATTR}]`)].find(
    (e) => e.getAttribute(DROP_ATTR)?.toLowerCase() === clientId.toLowerCase(),
  )
  if (!el) return null
  const r = el.getBoundingClientRect()
  if (r.width === 0 || r.height === 0) return null
  return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + Math.min(r.height / 2, 20)) }
}

/** Opens a <dialog> as a modal (focus kept inside, Escape cancels); where showModal is missing, just opens it. */
export function openModal(d: HTMLDialogElement | undefined): void {
  if (!d || d.open) return
  if (typeof d.showModal === 'function') {
    try {
      d.showModal()
      return
    } catch {
      // not connected yet, or another modal is open: fall back to a plain open dialog
    }
  }
  d.setAttribute('open', '')
}

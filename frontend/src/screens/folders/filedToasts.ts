// "3 files filed for Smith & Co Ltd": the toast for files a watched folder
// filed. Files filed close together (a scanner's batch) share one toast.
import { onWatchFiled, type FiledEvent } from '../../lib/foldersApi'
import { showToast } from '../../lib/toasts.svelte'
import { filedMessage } from './wording'
import { filingKey } from '../uploads/feed.svelte'

/** Batches filed events arriving within `quietMs` of each other into one message. */
export function batchFiled(emit: (message: string, client?: string) => void, quietMs = 1500) {
  let pending = new Map<string, { client: string; count: number }>()
  let timer: ReturnType<typeof setTimeout> | undefined
  const flush = () => {
    timer = undefined
    const byClient = [...pending.values()]
    const msg = filedMessage(byClient)
    pending = new Map()
    if (msg) emit(msg, byClient.length === 1 ? byClient[0].client : undefined)
  }
  return {
    add(f: Pick<FiledEvent, 'contactId' | 'client'>) {
      const c = pending.get(f.contactId) ?? { client: f.client, count: 0 }
      c.count++
      pending.set(f.contactId, c)
      clearTimeout(timer)
      timer = setTimeout(flush, quietMs)
    },
    stop() {
      clearTimeout(timer)
    },
  }
}

/** Shows the toasts for the whole app; returns the function that stops them. */
export function watchFiledToasts(): () => void {
  // The same key as the Uploads feed's toasts for that client: one toast per filing, not three.
  const b = batchFiled((m, client) => showToast('success', m, undefined, undefined, client ? filingKey(client) : undefined))
  const off = onWatchFiled((f) => b.add(f))
  return () => {
    off()
    b.stop()
  }
}

// The upload queue as the UI sees it, shared by the drop layer (always
// mounted, so it hears every event and shows the "filed" toasts) and the
// Uploads screen. Also the one path every drop takes, real or test.
import { showToast } from '../../lib/toasts.svelte'
import { showError } from '../../lib/errorToast'
import {
  onUploadDone,
  onUploadItem,
  onUploadProgress,
  uploadsApi,
  type UploadItem,
} from '../../lib/uploadsApi'
import type { ApiError } from '../../lib/api'
import type { DropTarget } from './dropTarget'
import { files } from './wording'

/** A file refused before any call to Xero; the queue does not keep these, so the UI does. */
export interface RefusedFile {
  key: number
  name: string
  path: string
  reason: string
  clientName: string
}

export type DropSource = 'drop' | 'picker'

/** What one drop did. */
export interface DropOutcome {
  clientId: string
  clientName: string
  items: UploadItem[]
  queued: number
  skipped: number
  refused: RefusedFile[]
}

export const feed = $state({
  items: [] as UploadItem[], // newest first
  sent: {} as Record<number, number>, // bytes sent of items in flight
  batch: { sent: 0, size: 0 }, // the backend's running total since the queue was last idle
  refused: [] as RefusedFile[], // newest first, until dismissed
  loaded: false,
  error: '',
})

/** Dialog state: the "which client?" question and the report of refused files. */
export const dropUi = $state({
  choosing: null as null | { paths: string[]; source: DropSource },
  result: null as null | DropOutcome,
  /** files being checked and hashed before they are queued (a big folder takes a moment) */
  checking: null as null | { count: number; clientName: string },
})

const LIVE = ['held', 'queued', 'uploading', 'uploaded', 'associating', 'waiting_reconnect']

let nextKey = 1
let choose: ((t: DropTarget | null) => void) | null = null

/** Puts it in the list, newest first, replacing an older copy. */
export function upsert(it: UploadItem): void {
  if (!it.id) return
  const i = feed.items.findIndex((x) => x.id === it.id)
  if (i >= 0) feed.items[i] = it
  else {
    const at = feed.items.findIndex((x) => x.id < it.id)
    if (at < 0) feed.items.push(it)
    else feed.items.splice(at, 0, it)
  }
  if (it.state !== 'uploading') delete feed.sent[it.id]
}

export async function refresh(): Promise<void> {
  try {
    const items = await uploadsApi.items({ limit: 500 })
    feed.items = items
    feed.error = ''
  } catch (e) {
    feed.error = (e as ApiError).message
  } finally {
    feed.loaded = true
  }
}

/** Removes finished items (the activity log keeps them). */
export async function clearFinished(): Promise<number> {
  const n = await uploadsApi.clearFinished()
  feed.refused = []
  await refresh()
  return n
}

/** Overall progress of the live items: bytes sent and bytes in all. */
export function overall(): { sent: number; size: number; live: number } {
  let size = 0
  let sent = 0
  let live = 0
  for (const it of feed.items) {
    if (!LIVE.includes(it.state)) continue
    live++
    size += it.size
    if (it.state === 'uploaded' || it.state === 'associating') sent += it.size
    else sent += feed.sent[it.id] ?? 0
  }
  // The backend's batch total also counts files finished since the batch began, so prefer it while it is larger.
  if (live > 0 && feed.batch.size >= size && feed.batch.size > 0) return { sent: feed.batch.sent, size: feed.batch.size, live }
  return { sent, size, live }
}

/** The toast key of one client's filing: its queued, filed and watched-folder toasts replace each other. */
export const filingKey = (client: string) => `filing:${client}`

// "Filed" toasts are gathered for a moment so a drop of twenty files says so once.
let filed = new Map<string, UploadItem[]>()
let filedTimer: ReturnType<typeof setTimeout> | undefined
export const TOAST_GATHER_MS = 1500

function announceFiled(it: UploadItem) {
  const list = filed.get(it.contact.name) ?? []
  list.push(it)
  filed.set(it.contact.name, list)
  clearTimeout(filedTimer)
  filedTimer = setTimeout(() => {
    for (const [client, items] of filed) {
      showToast('success', items.length === 1 ? `Filed “${items[0].name}” in Xero for ${client}.` : `Filed ${files(items.length)} in Xero for ${client}.`,
        undefined, undefined, filingKey(client))
    }
    filed = new Map()
  }, TOAST_GATHER_MS)
}

/** How long live items may go without news before the list is read again (an event lost over a reload). */
export const QUIET_MS = 5000

/** Subscribes to the queue's events and loads it; returns the unsubscribe. */
export function startFeed(): () => void {
  let heard = Date.now()
  const watchdog = setInterval(() => {
    if (Date.now() - heard > QUIET_MS && feed.items.some((it) => LIVE.includes(it.state))) {
      heard = Date.now()
      refresh()
    }
  }, 1000)
  const offs = [
    onUploadItem((it) => {
      heard = Date.now()
      upsert(it)
    }),
    onUploadProgress((p) => {
      heard = Date.now()
      feed.sent[p.itemId] = p.sent
      feed.batch = { sent: p.totalSent, size: p.totalSize }
    }),
    onUploadDone((it) => {
      if (it.state === 'done') announceFiled(it)
      else if (it.state === 'failed') showToast('error', `“${it.name}” was not uploaded: ${it.reason || 'Xero did not accept it.'}`)
    }),
  ]
  refresh()
  return () => {
    clearInterval(watchdog)
    offs.forEach((off) => off())
  }
}

/**
 * The one path of every drop, real (Wails' file drop), picked (the file
 * chooser) or the e2e hook: with a client, the files are queued for it; without
 * one, the "which client?" dialog asks first. Resolves to what happened, or null
 * if the user cancelled or nothing could be queued.
 */
export async function submitFiles(paths: string[], target: DropTarget | null, source: DropSource = 'drop'): Promise<DropOutcome | null> {
  paths = paths.filter((p) => p && p.trim())
  if (paths.length === 0) return null
  if (!target) {
    choose?.(null) // a second drop replaces an unanswered question
    target = await new Promise<DropTarget | null>((resolve) => {
      choose = resolve
      dropUi.choosing = { paths, source }
    })
    if (!target) return null
  }
  return enqueueFor(paths, target, source)
}

/** Answers the "which client?" dialog (null = cancel). */
export function answerChooser(t: DropTarget | null): void {
  dropUi.choosing = null
  const c = choose
  choose = null
  c?.(t)
}

async function enqueueFor(paths: string[], target: DropTarget, source: DropSource): Promise<DropOutcome | null> {
  let items: UploadItem[]
  dropUi.checking = { count: paths.length, clientName: target.clientName }
  try {
    items = source === 'picker' ? await uploadsApi.enqueuePicked(target.clientId, paths) : await uploadsApi.enqueue(target.clientId, paths)
  } catch (e) {
    showError(e)
    return null
  } finally {
    dropUi.checking = null
  }
  const clientName = target.clientName || items.find((it) => it.contact?.name)?.contact.name || 'the client'
  const refused: RefusedFile[] = []
  let queued = 0
  let skipped = 0
  for (const it of items) {
    if (it.state === 'refused') {
      refused.push({ key: nextKey++, name: it.name, path: it.path, reason: it.reason ?? '', clientName })
      continue
    }
    upsert(it)
    if (it.state === 'skipped_duplicate') skipped++
    else queued++
  }
  feed.refused.unshift(...refused)
  const out: DropOutcome = { clientId: target.clientId, clientName, items, queued, skipped, refused }
  // One toast per filing: 'Uploading…' is replaced by 'Filed…' for the same client (filingKey).
  if (queued > 0) showToast('info', `Uploading ${files(queued)} to ${clientName}.`, undefined, undefined, filingKey(clientName))
  if (skipped > 0) {
    showToast('warning', skipped === 1
      ? `One file was already uploaded to ${clientName}, so it was skipped. Choose Upload anyway on the Uploads screen to send it again.`
      : `${skipped} files were already uploaded to ${clientName}, so they were skipped. Choose Upload anyway on the Uploads screen to send them again.`)
  }
  if (refused.length > 0) dropUi.result = out
  return out
}

export function dismissRefused(key?: number): void {
  feed.refused = key == null ? [] : feed.refused.filter((r) => r.key !== key)
}

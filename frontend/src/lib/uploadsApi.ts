// The upload queue and activity log's bindings (app/uploads_service.go,
// app/activity_service.go), the Wails file drop, and the queue's events.
// Screens import from here; only this module and api.ts touch wailsjs/.
import * as Uploads from '../../wailsjs/go/app/UploadsService'
import * as Activity from '../../wailsjs/go/app/ActivityService'
import { OnFileDrop, OnFileDropOff } from '../../wailsjs/runtime/runtime'
import { call, onEvent } from './api'
import { Ev } from './events'

/** Where a file is in its life (backend/upload/item.go). "refused" is never stored: Enqueue returns it. */
export type UploadState =
  | 'held'
  | 'queued'
  | 'uploading'
  | 'uploaded'
  | 'associating'
  | 'done'
  | 'failed'
  | 'waiting_reconnect'
  | 'cancelled'
  | 'skipped_duplicate'
  | 'refused'

export interface UploadContact {
  id: string
  name: string
  type: string
}

/** One file in the queue (upload.Item as JSON). */
export interface UploadItem {
  id: number
  path: string
  name: string
  size: number
  sha256: string
  modTime: string
  tenantId: string
  contact: UploadContact
  folder: string
  state: UploadState
  reason?: string
  retryable: boolean
  note?: string
  fileId?: string
  attempts: number
  /** when a waiting item is tried again (RFC 3339), absent when it may go at once */
  nextAt?: string
  source: string
  user: string
  forced: boolean
  createdAt: string
  updatedAt: string
  /** when a held item goes to Xero unless undone */
  heldUntil?: string
}

/** Bytes sent for one file and for the whole batch (upload.Progress), a few times a second. */
export interface UploadProgress {
  itemId: number
  sent: number
  size: number
  totalSent: number
  totalSize: number
}

/** The queue at a glance (app.Overview). */
export interface UploadOverview {
  held: number
  queued: number
  active: number
  waiting: number
  done: number
  failed: number
  skipped: number
  cancelled: number
  liveBytes: number
  paused: boolean
}

export interface ItemsFilter {
  states?: UploadState[]
  contactId?: string
  limit?: number
  offset?: number
}

export interface ClientChoice {
  id: string
  name: string
  email?: string
  accountNumber?: string
}

export interface UploadLimits {
  maxBytes: number
  accepted: string[]
  blocked: string[]
}

/** One line of the activity log (activity.Entry). */
export interface ActivityEntry {
  id: number
  at: string
  kind: string
  who: string
  tenantId?: string
  contactId?: string
  client?: string
  subject?: string
  xeroId?: string
  detail?: string
}

export interface ActivityKind {
  kind: string
  label: string
}

/** A local file's bytes to show (app.Preview). */
export interface FilePreview {
  name: string
  kind: 'image' | 'pdf' | 'none'
  mimeType?: string
  dataUrl?: string
  size: number
  note?: string
}

/** One upload's outcome (upload.Entry). */
export interface UploadEntry {
  id: number
  at: string
  itemId: number
  user: string
  path: string
  name: string
  size: number
  sha256: string
  tenantId: string
  contactId: string
  contactName: string
  folder: string
  fileId: string
  outcome: UploadState
  detail: string
}

// The generated bindings type times as `any` and states as string; these
// casts give them the shapes above, which match the Go JSON tags.
const as = <T>(p: Promise<unknown>) => p as Promise<T>

export const uploadsApi = {
  enqueue: (contactId: string, paths: string[], folder = '') =>
    call(() => as<UploadItem[]>(Uploads.Enqueue(contactId, paths, folder))),
  enqueuePicked: (contactId: string, paths: string[], folder = '') =>
    call(() => as<UploadItem[]>(Uploads.EnqueuePicked(contactId, paths, folder))),
  pickFiles: () => call(() => Uploads.PickFiles()).then((p) => p ?? []),
  items: (f: ItemsFilter = {}) =>
    call(() =>
      as<UploadItem[]>(
        Uploads.Items({ states: f.states ?? [], contactId: f.contactId ?? '', limit: f.limit ?? 0, offset: f.offset ?? 0 }),
      ),
    ),
  overview: () => call(() => as<UploadOverview>(Uploads.Overview())),
  cancel: (id: number) => call(() => Uploads.Cancel(id)),
  cancelAll: () => call(() => Uploads.CancelAll()),
  retry: (id: number) => call(() => Uploads.Retry(id)),
  retryAll: () => call(() => Uploads.RetryAll()),
  force: (id: number) => call(() => Uploads.Force(id)),
  clearFinished: () => call(() => Uploads.ClearFinished()),
  /** Takes back a file still in its undo window: nothing is sent to Xero. */
  undo: (id: number) => call(() => Uploads.Undo(id)),
  sendNow: (id: number) => call(() => Uploads.SendNow(id)),
  preview: (id: number) => call(() => as<FilePreview>(Uploads.Preview(id))),
  openFile: (id: number) => call(() => Uploads.OpenFile(id)),
  findClients: (query: string, limit = 20) => call(() => as<ClientChoice[]>(Uploads.FindClients(query, limit))),
  limits: () => call(() => as<UploadLimits>(Uploads.Limits())),
  /** Demo only: the demo Xero waits `delay` (e.g. "2s") before answering each upload. */
  demoSlowUploads: (delay: string) => call(() => Uploads.DemoSlowUploads(delay)),
}

export const activityApi = {
  list: (search: string, kinds: string[] = [], limit = 100, offset = 0) =>
    call(() => as<ActivityEntry[]>(Activity.List(search, kinds, limit, offset))),
  kinds: () => call(() => as<ActivityKind[]>(Activity.Kinds())),
  history: (search: string, limit = 100, offset = 0) =>
    call(() => as<UploadEntry[]>(Activity.History(search, limit, offset))),
  /** Opens a save dialog; resolves to the path written, or "" if cancelled. */
  exportCsv: () => call(() => Activity.ExportCSV()),
}

function hasRuntime(): boolean {
  return typeof window !== 'undefined' && !!(window as unknown as { runtime?: unknown }).runtime
}

/**
 * Listens for files dropped on the window from the desktop: cb gets the drop's
 * window coordinates and the files' absolute paths. Wails marks elements under a
 * drag with the class `wails-drop-target-active` when their computed
 * `--wails-drop-target` is `drop`. Returns the function that stops listening; a
 * no-op outside the app (unit tests, a plain browser).
 */
export function onFileDrop(cb: (x: number, y: number, paths: string[]) => void): () => void {
  if (!hasRuntime()) return () => {}
  OnFileDrop(cb, true)
  return () => OnFileDropOff()
}

export const onUploadItem = (cb: (it: UploadItem) => void) => onEvent<UploadItem>(Ev.UploadItem, cb)
export const onUploadProgress = (cb: (p: UploadProgress) => void) => onEvent<UploadProgress>(Ev.UploadProgress, cb)
export const onUploadDone = (cb: (it: UploadItem) => void) => onEvent<UploadItem>(Ev.UploadDone, cb)

// Bindings of app.FoldersService (app/folders_service.go): watched folders,
// the Review list, saved rules, what was filed today; and the filing events.
// Screens import from here; only this module and api.ts touch wailsjs/.
import * as Folders from '../../wailsjs/go/app/FoldersService'
import { call, onEvent } from './api'
import { Ev } from './events'
import type { FilePreview } from './uploadsApi'

export type MatchMode = 'auto' | 'subfolder' | 'filename' | 'fixed'
export type AfterFiling = 'move' | 'leave'
export type FolderState = 'starting' | 'watching' | 'paused' | 'error'

/** app.FolderView: a watched folder with its live state and counts. */
export interface WatchedFolder {
  id: number
  path: string
  tenantId: string
  organisation: string
  mode: MatchMode
  contactId?: string
  clientName?: string
  after: AfterFiling
  paused: boolean
  state: FolderState
  message?: string
  uploading: number
  review: number
  filedToday: number
  createdAt: string
}

export interface Suggestion {
  contactId: string
  name: string
  confidence: number
  reason: string
}

export type ReviewKind = 'no_match' | 'tie' | 'refused' | 'failed' | 'unreadable' | 'unfinished'

/** app.ReviewView: a file waiting for a person. */
export interface ReviewItem {
  id: number
  folderId: number
  folder: string
  rel: string
  name: string
  path: string
  size: number
  kind: ReviewKind
  reason: string
  suggestions: Suggestion[]
  createdAt: string
}

export interface Rule {
  id: number
  tenantId: string
  pattern: string
  contactId: string
  clientName: string
}

export interface FiledCount {
  tenantId: string
  contactId: string
  client: string
  count: number
}

export interface Organisation {
  id: string
  name: string
  main: boolean
}

export interface ClientChoice {
  id: string
  name: string
  email?: string
  accountNumber?: string
}

/** filing.Filed: the payload of watch:filed. */
export interface FiledEvent {
  folderId: number
  folder: string
  file: string
  path: string
  client: string
  contactId: string
  itemId: number
  when: string
}

export interface FolderSettings {
  tenantId?: string
  mode: MatchMode
  contactId?: string
  after: AfterFiling
}

// The generated bindings type these loosely; the shapes above match the Go JSON tags.
const as = <T>(p: Promise<unknown>) => p as Promise<T>

export const foldersApi = {
  folders: () => call(() => as<WatchedFolder[]>(Folders.Folders())),
  organisations: () => call(() => as<Organisation[]>(Folders.Organisations())),
  /** Opens the system's folder chooser; "" if cancelled. */
  chooseFolder: () => call(() => Folders.ChooseFolder()),
  addFolder: (path: string, s: FolderSettings) =>
    call(() => as<WatchedFolder>(Folders.AddFolder(path, s.mode, s.mode === 'fixed' ? (s.contactId ?? '') : '', s.after))),
  updateFolder: (id: number, s: FolderSettings) =>
    call(() =>
      as<WatchedFolder>(Folders.UpdateFolder(id, s.tenantId ?? '', s.mode, s.mode === 'fixed' ? (s.contactId ?? '') : '', s.after)),
    ),
  removeFolder: (id: number) => call(() => Folders.RemoveFolder(id)),
  pause: (id: number) => call(() => Folders.Pause(id)),
  resume: (id: number) => call(() => Folders.Resume(id)),
  reviews: (folderId = 0) => call(() => as<ReviewItem[]>(Folders.Reviews(folderId))),
  resolveReview: (id: number, contactId: string, saveRule: boolean) => call(() => Folders.ResolveReview(id, contactId, saveRule)),
  dismissReview: (id: number) => call(() => Folders.DismissReview(id)),
  /** The rule "Always file files like this" would save for this client; "" when none is specific to it. */
  ruleFor: (id: number, contactId: string) => call(() => Folders.RuleFor(id, contactId)),
  preview: (id: number) => call(() => as<FilePreview>(Folders.PreviewReview(id))),
  open: (id: number) => call(() => Folders.OpenReview(id)),
  rules: () => call(() => as<Rule[]>(Folders.Rules())),
  deleteRule: (id: number) => call(() => Folders.DeleteRule(id)),
  filedToday: () => call(() => as<FiledCount[]>(Folders.FiledToday())),
  findClients: (query: string, tenantId = '', limit = 8) =>
    call(() => as<ClientChoice[]>(Folders.FindClients(tenantId, query, limit))),
}

export const onWatchFiled = (cb: (f: FiledEvent) => void) => onEvent<FiledEvent>(Ev.WatchFiled, cb)
/** Any change a Watched folders screen should show: a folder's state, a new Review file, a file queued or filed. */
export function onFoldersChanged(cb: () => void): () => void {
  const offs = [Ev.WatchFolder, Ev.WatchReview, Ev.WatchQueued, Ev.WatchFiled].map((n) => onEvent(n, () => cb()))
  return () => offs.forEach((off) => off())
}

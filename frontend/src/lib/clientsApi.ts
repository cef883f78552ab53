// Bindings of app.ClientsService: the synced client list, one client, its files
// in Xero, and the contact sync.
import * as Clients from '../../wailsjs/go/app/ClientsService'
import { call } from './api'
import type { FilePreview } from './uploadsApi'

export interface ClientRow {
  id: string
  name: string
  email?: string
  accountNumber?: string
  contactNumber?: string
  status: string // ACTIVE, ARCHIVED, GDPRREQUEST
  isCustomer: boolean
  isSupplier: boolean
  mergedToId?: string
  updatedUtc: string
}

export interface ClientPage {
  rows: ClientRow[]
  total: number
  offset: number
}

export interface Phone {
  type: string
  number: string
  areaCode?: string
  countryCode?: string
}

export interface Address {
  type: string
  lines?: string[]
  city?: string
  region?: string
  postalCode?: string
  country?: string
  attentionTo?: string
}

export interface Person {
  firstName?: string
  lastName?: string
  email?: string
  includeInEmails?: boolean
}

/** store.Contact: everything synced about one client. */
export interface Client extends ClientRow {
  firstName?: string
  lastName?: string
  companyNumber?: string
  website?: string
  phones?: Phone[]
  addresses?: Address[]
  persons?: Person[]
  groups?: string[]
  syncedAt: string
}

export interface ClientFile {
  fileId: string
  name: string
  size: number
  created: string
  associated: string
  objectType: string
  detailsKnown: boolean
  /** chase.md sent it and this computer's copy is still there: it can be previewed and opened */
  local?: boolean
}

export interface ContactCounts {
  total: number
  active: number
  archived: number
  customers: number
}

export interface SyncStatus {
  connected: boolean
  reason?: string
  tenantId: string
  tenantName: string
  lastSynced: string
  counts: ContactCounts
  running: boolean
  full: boolean
  page: number
  pageCount: number
  lastError?: string
}

/** The payload of sync:progress and sync:done (syncer.Event). */
export interface SyncEvent {
  tenant: string
  full: boolean
  phase: 'started' | 'progress' | 'done' | 'failed'
  progress: { page: number; pageCount: number; contacts: number }
  summary: { added: number; changed: number; archived: number; received: number }
  error?: string
}

const as = <T>(p: Promise<unknown>) => p as Promise<T>

export const clientsApi = {
  search: (query: string, customersOnly: boolean, includeArchived: boolean, offset: number, limit: number) =>
    call(() => as<ClientPage>(Clients.Search(query, customersOnly, includeArchived, offset, limit))),
  client: (id: string) => call(() => as<Client>(Clients.Client(id))),
  files: (id: string) => call(() => as<ClientFile[]>(Clients.ClientFiles(id))),
  /** Links a filed document to another client, then unlinks it from this one. */
  moveFile: (fileId: string, fromId: string, toId: string) => call(() => Clients.MoveFile(fileId, fromId, toId)),
  removeFile: (fileId: string, contactId: string) => call(() => Clients.RemoveFile(fileId, contactId)),
  contactLink: (id: string) => call(() => as<{ url?: string; note?: string }>(Clients.ContactLink(id))),
  openInXero: (id: string) => call(() => Clients.OpenInXero(id)),
  /** This computer's copy of a filed document (Xero has no link to one file). */
  previewFile: (fileId: string) => call(() => as<FilePreview>(Clients.PreviewFile(fileId))),
  openFile: (fileId: string) => call(() => Clients.OpenFile(fileId)),
  syncNow: (full = false) => call(() => as<SyncStatus>(Clients.SyncNow(full))),
  syncStatus: () => call(() => as<SyncStatus>(Clients.SyncStatus())),
}

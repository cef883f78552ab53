// The connection and contact-sync state the top bar, the Reconnect banner and
// the Clients screen share: read once from Go, then kept fresh from events.
import { api, onEvent, type ApiError, type ConnState } from '../../lib/api'
import { clearToasts } from '../../lib/toasts.svelte'
import { authApi, type AuthEvent, type AuthStatus } from '../../lib/authApi'
import { clientsApi, type SyncEvent, type SyncStatus } from '../../lib/clientsApi'
import { Ev } from '../../lib/events'

export const conn = $state({
  /** the one connection state (Go's core.ConnState): what every screen says about Xero */
  state: null as ConnState | null,
  auth: null as AuthStatus | null,
  sync: null as SyncStatus | null,
  /** a sync runs now: from sync:progress events, or SyncNow's answer */
  running: false,
  page: 0,
  pageCount: 0,
  /** the last failed sync, in words; cleared by the next success */
  error: '',
  /** bumped whenever the stored contacts may have changed (a sync finished): lists reload */
  version: 0,
  /** SyncStatus could not be read (the app still starting, or no backend at all) */
  syncFailed: false,
  /** time of the last status read, so "5 minutes ago" ticks */
  now: Date.now(),
})

export async function refreshAuth(): Promise<void> {
  try {
    conn.auth = await authApi.status()
  } catch {
    // The app shows startup errors itself; the top bar keeps its last state.
  }
}

export async function refreshSync(): Promise<void> {
  try {
    const s = await clientsApi.syncStatus()
    conn.sync = s
    conn.syncFailed = false
    if (!conn.state) conn.running = s.running
    if (s.running) {
      conn.page = s.page
      conn.pageCount = s.pageCount
    }
    conn.error = s.lastError ?? ''
    conn.now = Date.now()
  } catch {
    conn.syncFailed = true
  }
}

/** The error codes a working connection clears: their toasts go once Xero answers. */
const connectionErrors = ['unreachable', 'reauth', 'signed_out', 'xero_limit', 'xero_budget', 'no_client_id', 'keyring', 'timeout']

export function setConnection(st: ConnState): void {
  conn.state = st
  // A sync "runs" only while pages come in: a sync waiting for Xero shows the wait, not a spinner.
  conn.running = st.kind === 'syncing'
  if (st.kind === 'syncing') {
    conn.page = st.page ?? 0
    conn.pageCount = st.pageCount ?? 0
  }
  if (st.kind === 'connected' || st.kind === 'syncing') clearToasts(...connectionErrors)
}

export async function refreshConnection(): Promise<void> {
  try {
    setConnection(await api.connection())
  } catch {
    // The app shows startup errors itself; the screens keep the last state.
  }
}

export function refreshAll(): Promise<void> {
  return Promise.all([refreshAuth(), refreshSync(), refreshConnection()]).then(() => {})
}

/** Asks for a sync now; progress then arrives as events. Throws ApiError when it cannot start. */
export async function syncNow(full = false): Promise<void> {
  conn.error = ''
  const s = await clientsApi.syncNow(full)
  conn.sync = s
  conn.running = !conn.state || conn.state.kind === 'connected' || conn.state.kind === 'syncing' 
  conn.page = s.running ? s.page : 0
  conn.pageCount = s.running ? s.pageCount : 0
}

function mine(e: SyncEvent): boolean {
  const t = conn.sync?.tenantId
  return !t || !e.tenant || e.tenant.toLowerCase() === t.toLowerCase()
}

let watchers = 0
let offs: (() => void)[] = []
let ticker: ReturnType<typeof setInterval> | null = null

/** Subscribes to the events once however many components watch; returns the unwatch function. */
export function watchConnection(): () => void {
  if (watchers++ === 0) {
    refreshAll()
    offs = [
      onEvent<SyncEvent>(Ev.SyncProgress, (e) => {
        if (!mine(e)) return
        conn.error = ''
        if (e.phase === 'started') {
          conn.page = 0
          conn.pageCount = 0
        } else {
          conn.page = e.progress.page
          conn.pageCount = e.progress.pageCount
        }
      }),
      onEvent<SyncEvent>(Ev.SyncDone, (e) => {
        if (!mine(e)) return
        conn.running = false
        conn.version++
        refreshSync()
      }),
      onEvent<AuthEvent>(Ev.AuthState, (e) => {
        if (conn.auth) conn.auth = { ...conn.auth, ...e }
        refreshAuth()
      }),
      onEvent<ConnState>(Ev.Connection, (st) => {
        const was = conn.state?.kind
        setConnection(st)
        // A sync that ended (or Xero answering again) may have changed the lists.
        if (was !== st.kind && (was === 'syncing' || was === 'unreachable')) refreshSync()
      }),
      onEvent(Ev.ModeChanged, () => {
        conn.version++
        refreshAll()
      }),
    ]
    ticker = setInterval(() => (conn.now = Date.now()), 30_000)
  }
  return () => {
    if (--watchers === 0) {
      offs.forEach((off) => off())
      offs = []
      if (ticker) clearInterval(ticker)
      ticker = null
    }
  }
}

/** The sentence for a failed call, for a toast. */
export function words(e: unknown): string {
  return (e as ApiError)?.message ?? 'Something went wrong.'
}

// The Watched folders screen's words: states, reasons and counts as an
// accountant would say them. Pure functions, tested in wording.test.ts.
import type { AfterFiling, FiledCount, MatchMode, ReviewItem, WatchedFolder } from '../../lib/foldersApi'

export type Tone = 'neutral' | 'info' | 'success' | 'warning' | 'danger'

export interface StateWords {
  label: string
  tone: Tone
  /** What is going on, in a sentence; "" when the label says it all. */
  detail: string
  /** What the user can do about it; "" when nothing is needed. */
  todo: string
}

export function folderState(f: Pick<WatchedFolder, 'state' | 'message' | 'paused'>): StateWords {
  if (f.paused) {
    return { label: 'Paused', tone: 'neutral', detail: 'New documents wait in the folder and are filed when you resume.', todo: '' }
  }
  switch (f.state) {
    case 'watching':
      return { label: 'Watching', tone: 'success', detail: '', todo: '' }
    case 'starting':
      return { label: 'Starting', tone: 'info', detail: 'Looking through the folder for documents added while chase.md was closed.', todo: '' }
    case 'paused':
      // Not paused by the user: the watcher is not running at all.
      return {
        label: 'Not running',
        tone: 'warning',
        detail: 'chase.md is not watching folders right now.',
        todo: 'Check that chase.md is signed in to Xero (Settings › Xero connection).',
      }
    default:
      return {
        label: 'Needs attention',
        tone: 'warning',
        detail: f.message || 'This folder cannot be watched at the moment.',
        todo: 'Check the folder still exists and its drive or network share is connected. chase.md tries again by itself; nothing in the folder is lost.',
      }
  }
}

export const modes: { id: MatchMode; label: string; hint: string }[] = [
  { id: 'auto', label: 'Sub-folder or file name', hint: 'Recommended: a sub-folder named after the client, otherwise the client’s name, account number or email in the file name.' },
  { id: 'subfolder', label: 'Sub-folder named after the client', hint: 'For example Smith & Co Ltd/bank statement.pdf.' },
  { id: 'filename', label: 'File name', hint: 'The client’s name, account number or email in the file name, e.g. “Smith & Co Ltd – VAT return.pdf”.' },
  { id: 'fixed', label: 'Always one client', hint: 'Every document in this folder goes to the client you choose.' },
]

export function modeLabel(m: MatchMode, client?: string): string {
  if (m === 'fixed') return client ? `Always ${client}` : 'Always one client'
  return modes.find((x) => x.id === m)?.label ?? m
}

export const afters: { id: AfterFiling; label: string; hint: string }[] = [
  { id: 'move', label: 'Move it into Filed/‹client›/', hint: 'Inside this folder, so you can see at a glance what is done.' },
  { id: 'leave', label: 'Leave it where it is', hint: 'chase.md remembers it and never uploads it twice.' },
]

export function afterLabel(a: AfterFiling): string {
  return a === 'leave' ? 'Left in place after filing' : 'Moved into Filed/‹client›/ after filing'
}

/** Why a file waits in Review: a short title, then the detail. */
export function reviewWhy(r: Pick<ReviewItem, 'kind' | 'reason' | 'suggestions'>): { title: string; detail: string } {
  switch (r.kind) {
    case 'refused':
      return { title: r.reason, detail: 'Xero would refuse it as it is. Dismiss it here; the file stays in the folder.' }
    case 'failed':
      return { title: 'Not sent to Xero', detail: `${r.reason} It waits here until you choose its client to send it again, or the file changes.` }
    case 'unreadable':
      return { title: "chase.md can't read this file", detail: r.reason }
    case 'unfinished':
      return { title: 'This file looks unfinished', detail: r.reason }
    case 'tie': {
      const [a, b] = r.suggestions
      return {
        title: 'Two clients match equally',
        detail: a && b ? `It could belong to ${a.name} or ${b.name}. Choose which one.` : r.reason,
      }
    }
    default:
      return {
        title: 'No confident match',
        detail: r.suggestions.length ? 'The closest clients are below. Choose one, or search for another.' : 'No client’s name, account number or email is in its name or folder. Search for the client.',
      }
  }
}

export function confidence(c: number): string {
  return `${Math.round(Math.max(0, Math.min(1, c)) * 100)}%`
}

export function files(n: number): string {
  return n === 1 ? '1 file' : `${n.toLocaleString('en-GB')} files`
}

/** "3 files filed for Smith & Co Ltd"; several clients in one go are summed up. */
export function filedMessage(byClient: { client: string; count: number }[]): string {
  if (byClient.length === 0) return ''
  if (byClient.length === 1) return `${files(byClient[0].count)} filed for ${byClient[0].client}`
  const total = byClient.reduce((n, c) => n + c.count, 0)
  const names = byClient.map((c) => c.client)
  const who = names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]}, ${names[1]} and ${names.length - 2} more`
  return `${files(total)} filed for ${who}`
}

export function filedTodayTotal(cs: FiledCount[]): number {
  return cs.reduce((n, c) => n + c.count, 0)
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(0)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}

/** The folder part of a path inside a watched folder ("" at its top). */
export function where(rel: string): string {
  const parts = rel.split(/[\\/]/)
  return parts.slice(0, -1).join('/')
}

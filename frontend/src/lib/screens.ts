import type { IconName } from '../components/icons'

// The shell's screens in navigation order; ids match app.Screens in Go.
export type ScreenId = 'clients' | 'chase' | 'reminders' | 'uploads' | 'watch' | 'activity' | 'settings'

export interface Screen {
  id: ScreenId
  label: string
  icon: IconName
  /** one line under the page title */
  summary: string
}

export const screens: Screen[] = [
  { id: 'clients', label: 'Clients', icon: 'users', summary: 'Your Xero contacts and what each one has sent you.' },
  { id: 'chase', label: 'Chase list', icon: 'list', summary: 'Clients who still owe you documents, from their Practice Manager jobs.' },
  { id: 'reminders', label: 'Reminders', icon: 'mail', summary: 'Requests and reminders to clients, sent from your practice’s mailbox until the documents arrive.' },
  { id: 'uploads', label: 'Uploads', icon: 'upload', summary: 'Documents on their way to Xero Files, each filed exactly once.' },
  { id: 'watch', label: 'Watched folders', icon: 'folder', summary: 'Folders where new scans are picked up and filed for you.' },
  { id: 'activity', label: 'Activity', icon: 'activity', summary: 'Everything chase.md did, newest first.' },
  { id: 'settings', label: 'Settings', icon: 'settings', summary: 'Your Xero connection, your practice’s mailbox, this copy of chase.md and shortcuts.' },
]

export function isScreen(id: string): id is ScreenId {
  return screens.some((s) => s.id === id)
}

export function screenById(id: ScreenId): Screen {
  return screens.find((s) => s.id === id)!
}

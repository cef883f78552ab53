// How the one connection state (core.ConnState) looks in the shell: a short
// label and a tone for the top bar, whether the page shows it as a problem,
// and the action that helps. The sentence itself (ConnState.message) comes
// from Go, so every screen and the command line say the same thing.
import type { ConnState } from './api'

export type ConnTone = 'on' | 'demo' | 'warn' | 'off' | 'idle'
export type ConnAction = 'retry' | 'signin'

export interface ConnLook {
  label: string
  tone: ConnTone
  /** a problem the page shows in its banner, not in a toast */
  problem: boolean
  action?: ConnAction
}

/** needsChoice: signed in, but no organisation chosen yet (the sign-in is not finished). */
export function connLook(st: ConnState | null, org?: string, demo = false, needsChoice = false): ConnLook {
  const named = demo ? (org ? `Demo practice · ${org}` : 'Demo practice') : (org ?? 'Connected to Xero')
  switch (st?.kind) {
    case undefined:
      return { label: 'Starting…', tone: 'idle', problem: false }
    case 'connected':
    case 'syncing':
      if (needsChoice && !demo) return { label: 'Signed in — choose your organisation', tone: 'warn', problem: false }
      return { label: named, tone: demo ? 'demo' : 'on', problem: false }
    case 'unreachable':
      return { label: "Can't reach Xero", tone: 'warn', problem: true, action: 'retry' }
    case 'reauth':
      return { label: 'Xero needs you to sign in again', tone: 'warn', problem: true, action: 'signin' }
    case 'limit':
      return { label: "Xero's daily limit reached", tone: 'warn', problem: true }
    case 'signed_out':
      return { label: demo ? 'Demo practice' : 'Not connected to Xero', tone: 'off', problem: false }
  }
  return { label: named, tone: 'idle', problem: false }
}

// Bindings of app.AuthService: the Xero connection, sign-in and the tenant picker.
import * as Auth from '../../wailsjs/go/app/AuthService'
import { call } from './api'

export type ConnState = 'signed-out' | 'connected' | 'reconnect-needed'

export interface TenantRef {
  id: string
  name: string
  connectionId: string
}

/** app.AuthStatus: times arrive as RFC 3339 strings ("0001-01-01T00:00:00Z" when unset). */
export interface AuthStatus {
  running: boolean
  reason?: string
  reasonCode?: string
  demo: boolean
  state: ConnState
  accessExpiry: string
  lastRefresh: string
  refreshes: number
  lastError?: string
  signingIn: boolean
  /** Xero's sign-in address while a sign-in waits, to copy when no browser came up */
  signInUrl?: string
  /** signed in, but no organisation chosen yet: ask which holds the clients */
  needsChoice?: boolean
  orgs: TenantRef[]
  practice?: TenantRef
  xpmRefused: boolean
}

export interface Tenant {
  tenantId: string
  connectionId: string
  name: string
  type: 'organisation' | 'practice'
  connected: string
  chosen: boolean
  main: boolean
}

/** The payload of the auth:state event (auth.Status). */
export interface AuthEvent {
  state: ConnState
  accessExpiry?: string
  lastRefresh?: string
  refreshes: number
  lastError?: string
}

/** The payload of the auth:signin-url event (app.SignInAddress). */
export interface SignInAddress {
  url: string
  /** false: the system browser could not be asked, so show the address at once */
  opened: boolean
}

const as = <T>(p: Promise<unknown>) => p as Promise<T>

export const authApi = {
  status: () => call(() => as<AuthStatus>(Auth.Status())),
  signIn: () => call(() => as<AuthStatus>(Auth.SignIn())),
  cancelSignIn: () => call(() => Auth.CancelSignIn()),
  tenants: () => call(() => as<Tenant[]>(Auth.Tenants())),
  setChoice: (orgIds: string[], practiceId: string) => call(() => as<AuthStatus>(Auth.SetChoice(orgIds, practiceId))),
  disconnect: (tenantId: string) => call(() => as<AuthStatus>(Auth.Disconnect(tenantId))),
  signOut: () => call(() => as<AuthStatus>(Auth.SignOut())),
}

/** A Go time that was never set marshals as year 1. */
export function isSet(t: string | undefined | null): t is string {
  return !!t && !t.startsWith('0001-')
}

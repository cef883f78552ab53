// An in-memory stand-in for the Go services, installed where the generated
// bindings look for them (window.go.app.*). Unit tests only: the e2e tests
// drive the real Go side.
import { vi } from 'vitest'

export interface FakeState {
  demo: boolean
  onboarded: boolean
  lastScreen: string
  clientId: string
  xpmAccess: boolean
  xpmJobWrite: boolean
  builtinApp: boolean // a release build with chase.md's own Xero app
}

export function installFakeBackend(init: Partial<FakeState> = {}) {
  const st: FakeState = { demo: false, onboarded: false, lastScreen: 'clients', clientId: '', xpmAccess: false, xpmJobWrite: false, builtinApp: false, ...init }
  const info = () => ({
    version: '0.1.0-test', mode: st.demo ? 'demo' : 'xero', demo: st.demo, sandboxUrl: '', apiUrl: 'https://api.xero.com',
    dataDir: '/tmp/chase', databasePath: st.demo ? '/tmp/chase/demo.db' : '/tmp/chase/chase.db', schemaVersion: 1,
    os: 'linux', arch: 'amd64', goVersion: 'go1.26', clientIdSet: st.clientId !== '' || st.builtinApp, builtinApp: st.builtinApp, firstRun: !st.demo && !st.onboarded,
    redirectUris: ['http://localhost:53682/callback'],
  })
  const prefs = () => ({ lastScreen: st.lastScreen, xeroClientId: st.clientId, onboarded: st.onboarded, xpmAccess: st.xpmAccess || st.demo, xpmJobWrite: st.xpmJobWrite })
  const StatusService = {
    Info: vi.fn(async () => info()),
    SetDemo: vi.fn(async (on: boolean) => { st.demo = on; return info() }),
    Connection: vi.fn(async () => ({ kind: st.demo ? 'connected' : 'signed_out', message: st.demo ? 'Connected to Xero.' : 'chase.md is not connected to Xero.', since: '' })),
    RetryNow: vi.fn(async () => ({ kind: 'connected', message: 'Connected to Xero.', since: '' })),
    Diagnostics: vi.fn(async () => 'chase.md 0.1.0-test\nSystem: linux/amd64\n'),
    OpenLogFolder: vi.fn(async () => {}),
  }
  const SettingsService = {
    Get: vi.fn(async () => prefs()),
    SetLastScreen: vi.fn(async (s: string) => { st.lastScreen = s }),
    SetXeroClientID: vi.fn(async (id: string) => {
      if (id && !/^[0-9A-Fa-f]{32}$/.test(id.trim())) throw goError('invalid_input', 'A Xero client ID is 32 letters and digits.')
      st.clientId = id.trim().toUpperCase()
      return prefs()
    }),
    SetXPMAccess: vi.fn(async (on: boolean) => { st.xpmAccess = on; return prefs() }),
    SetXPMJobWrite: vi.fn(async (on: boolean) => { st.xpmJobWrite = on; return prefs() }),
    CompleteFirstRun: vi.fn(async () => { st.onboarded = true }),
  }
  const UpdateService = {
    Check: vi.fn(async () => ({ enabled: false, available: false, current: '0.1.0-test', version: '', url: '', notes: '' })),
  }
  ;(window as unknown as { go: unknown }).go = { app: { StatusService, SettingsService, UpdateService } }
  return { state: st, StatusService, SettingsService, UpdateService }
}

/** A rejection as the Wails runtime delivers it: an Error whose message is app.FormatError's JSON. */
export function goError(code: string, message: string): Error {
  return new Error(JSON.stringify({ code, message }))
}

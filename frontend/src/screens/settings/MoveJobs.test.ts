import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import MoveJobs from './MoveJobs.svelte'
import { installFakeBackend } from '../../test/fakeBackend'

const prefs = (over = {}) => ({ lastScreen: 'settings', xeroClientId: '', onboarded: true, xpmAccess: true, xpmJobWrite: false, ...over })

describe('MoveJobs (Settings)', () => {
  it('off until Practice Manager access is ticked', () => {
    installFakeBackend()
    render(MoveJobs, { prefs: prefs({ xpmAccess: false }), needsXPM: true, onchange: () => {} })
    const box = screen.getByLabelText(/Let chase.md move jobs in Practice Manager/) as HTMLInputElement
    expect(box.disabled).toBe(true)
    expect(box.checked).toBe(false)
  })

  it('ticking it saves the setting, says the next sign-in asks for the permission, and offers that sign-in', async () => {
    const fake = installFakeBackend({ xpmAccess: true })
    const signIn = vi.fn(async () => ({ state: 'connected' }))
    ;(window as unknown as { go: { app: Record<string, unknown> } }).go.app.AuthService = { SignIn: signIn }
    const onchange = vi.fn()
    render(MoveJobs, { prefs: prefs(), needsXPM: false, onchange })
    expect(screen.getByText(/your next sign-in to Xero asks for it/)).toBeTruthy()
    await fireEvent.click(screen.getByLabelText(/Let chase.md move jobs in Practice Manager/))
    await waitFor(() => expect(fake.SettingsService.SetXPMJobWrite).toHaveBeenCalledWith(true))
    expect(onchange).toHaveBeenCalledWith(expect.objectContaining({ xpmJobWrite: true }))
    await fireEvent.click(await screen.findByRole('button', { name: 'Sign in to Xero again' }))
    await waitFor(() => expect(signIn).toHaveBeenCalledOnce())
  })
})

import { describe, expect, it, vi } from 'vitest'
import { fireEvent, render, screen, within } from '@testing-library/svelte'
import App from '../App.svelte'
import { api } from '../lib/api'
import { goError, installFakeBackend } from '../test/fakeBackend'

describe('Settings with a release build', () => {
  it('signs in with the built-in Xero app and keeps "use my own Xero app" under Advanced', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'settings', builtinApp: true })
    render(App)
    expect(await screen.findByText(/signs in with its own Xero app/)).toBeTruthy()
    const advanced = screen.getByTestId('own-app') as HTMLDetailsElement
    expect(advanced.open).toBe(false)
    expect(within(advanced).getByText('Advanced: use my own Xero app')).toBeTruthy()
    expect(within(advanced).getByLabelText('Xero client ID')).toBeTruthy()
  })

  it('shows the client ID form itself in a build without one', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    render(App)
    await screen.findByLabelText('Xero client ID')
    expect(screen.queryByTestId('own-app')).toBeNull()
  })

  it('tells of a newer version with a link that opens in the browser', async () => {
    const fake = installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    fake.UpdateService.Check.mockResolvedValue({ enabled: true, available: true, current: '0.9.0+abc', version: '0.9.1', url: 'https://chase.md/download', notes: 'Faster sync.' })
    const open = vi.spyOn(api, 'openInBrowser').mockImplementation(() => {})
    render(App)
    const row = await screen.findByTestId('about-update')
    expect(row.textContent).toContain('chase.md 0.9.1 is out')
    expect(screen.getByText('Faster sync.')).toBeTruthy()
    await fireEvent.click(within(row).getByRole('button', { name: /Download/ }))
    expect(open).toHaveBeenCalledWith('https://chase.md/download')
    open.mockRestore()
  })

  it('says when this copy is the latest, and shows a failed check in words', async () => {
    const fake = installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    fake.UpdateService.Check.mockResolvedValue({ enabled: true, available: false, current: '0.9.1', version: '0.9.1', url: 'https://chase.md/download', notes: '' })
    const { unmount } = render(App)
    expect((await screen.findByTestId('about-update')).textContent).toContain('You have the latest version.')
    unmount()
    fake.UpdateService.Check.mockRejectedValue(goError('update_check', 'chase.md could not check for a newer version just now.'))
    render(App)
    expect((await screen.findByTestId('about-update')).textContent).toContain('could not check for a newer version')
  })

  it('shows no update line in a build without a release feed', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    render(App)
    await screen.findByRole('heading', { name: 'About this copy' })
    expect(screen.queryByTestId('about-update')).toBeNull()
  })
})

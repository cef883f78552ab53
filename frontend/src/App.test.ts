import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import App from './App.svelte'
import { goError, installFakeBackend } from './test/fakeBackend'
import { fakeStatus, installFakeChase } from './test/fakeChase'
import { resetChase } from './screens/chase/store.svelte'

describe('App shell', () => {
  it('welcomes a first-time user and starts the demo', async () => {
    const fake = installFakeBackend()
    render(App)
    await screen.findByRole('heading', { name: 'Welcome to chase.md' })
    await fireEvent.click(screen.getByRole('button', { name: /Try the demo/ }))
    await screen.findByRole('navigation', { name: 'Main' })
    expect(fake.StatusService.SetDemo).toHaveBeenCalledWith(true)
    expect(screen.getByTestId('org-status').textContent).toContain('Demo practice')
  })

  it('sends “Connect to Xero” to Settings with the client ID field focused', async () => {
    const fake = installFakeBackend()
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const input = await screen.findByLabelText('Xero client ID')
    expect(fake.SettingsService.CompleteFirstRun).toHaveBeenCalledOnce()
    await waitFor(() => expect(document.activeElement).toBe(input))
    expect(fake.state.lastScreen).toBe('settings')
  })

  it('reopens the last screen and remembers the next one', async () => {
    const fake = installFakeBackend({ onboarded: true, lastScreen: 'uploads' })
    render(App)
    await screen.findByRole('heading', { name: 'Uploads', level: 1 })
    expect(screen.getByRole('button', { name: 'Uploads' }).getAttribute('aria-current')).toBe('page')
    await fireEvent.click(screen.getByRole('button', { name: 'Chase list' }))
    await screen.findByRole('heading', { name: 'Chase list', level: 1 })
    expect(fake.SettingsService.SetLastScreen).toHaveBeenLastCalledWith('chase')
  })

  it('every screen has an empty state that says what will appear', async () => {
    installFakeBackend({ demo: true })
    resetChase() // an earlier test's visit left its (failed) read in the store
    installFakeChase([], fakeStatus({ lastSync: '' })) // Practice Manager not read yet (a list that fails to read is a problem, not empty)
    render(App)
    await screen.findByRole('navigation', { name: 'Main' })
    for (const [nav, title] of [
      ['Clients', 'No clients yet'],
      ['Chase list', 'Nobody to chase yet'],
      ['Uploads', 'No uploads yet'],
      ['Watched folders', 'No watched folders'],
      ['Activity', 'Nothing has happened yet'],
    ]) {
      await fireEvent.click(screen.getByRole('button', { name: nav }))
      expect(await screen.findByRole('heading', { name: title })).toBeTruthy()
    }
  })

  it('keyboard: Ctrl+K focuses search, Ctrl+7 opens Settings', async () => {
    installFakeBackend({ onboarded: true })
    render(App)
    await screen.findByRole('navigation', { name: 'Main' })
    await fireEvent.keyDown(window, { key: 'k', ctrlKey: true })
    expect(document.activeElement).toBe(screen.getByRole('searchbox', { name: 'Search clients' }))
    await fireEvent.keyDown(window, { key: '7', ctrlKey: true })
    expect(await screen.findByRole('heading', { name: 'About this copy' })).toBeTruthy()
    expect(screen.getByTestId('about-version').textContent).toBe('0.1.0-test')
  })

  it('shows a rejected client ID next to the field', async () => {
    installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    render(App)
    const input = await screen.findByLabelText('Xero client ID')
    await fireEvent.input(input, { target: { value: 'abc' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect((await screen.findByRole('alert')).textContent).toContain('32 letters and digits')
  })

  it('remembers that the Xero app has Practice Manager access', async () => {
    const fake = installFakeBackend({ onboarded: true, lastScreen: 'settings' })
    render(App)
    const box = (await screen.findByRole('checkbox', { name: /Practice Manager \(XPM\) access/ })) as HTMLInputElement
    expect(box.checked).toBe(false)
    await fireEvent.click(box)
    expect(fake.SettingsService.SetXPMAccess).toHaveBeenLastCalledWith(true)
    expect(fake.state.xpmAccess).toBe(true)
    expect(await screen.findByText(/ask Xero for Practice Manager at your next sign-in/)).toBeTruthy()
  })

  it('explains a failed start and offers to try again', async () => {
    const fake = installFakeBackend()
    fake.StatusService.Info.mockRejectedValueOnce(goError('internal', 'Something went wrong. open database: disk full'))
    render(App)
    expect((await screen.findByTestId('load-error')).textContent).toContain('disk full')
    await fireEvent.click(screen.getByRole('button', { name: 'Try again' }))
    await screen.findByRole('heading', { name: 'Welcome to chase.md' })
  })
})

describe('leaving the demo', () => {
  it('returns to the welcome, then Connect leads to a working client ID form', async () => {
    installFakeBackend({ demo: true, lastScreen: 'settings' })
    const errors: unknown[] = []
    const onErr = (e: ErrorEvent) => errors.push(e.error)
    window.addEventListener('error', onErr)
    render(App)
    await fireEvent.click(await screen.findByRole('button', { name: 'Leave the demo' }))
    await fireEvent.click(await screen.findByRole('button', { name: /Connect to Xero/ }))
    const input = await screen.findByLabelText('Xero client ID')
    await fireEvent.input(input, { target: { value: '1234' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save' }))
    expect((await screen.findByRole('alert')).textContent).toContain('32 letters and digits')
    window.removeEventListener('error', onErr)
    expect(errors).toEqual([])
  })
})

import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import Email from './Email.svelte'
import { installFakeBackend } from '../../test/fakeBackend'
import { installFakeRemind } from '../../test/fakeRemind'

describe('Settings › Email', () => {
  it('in the demo says mail goes to the in-app outbox, and the test goes there', async () => {
    installFakeBackend({ demo: true })
    installFakeRemind({ setup: { demo: true, ready: true } })
    render(Email)
    expect((await screen.findByTestId('mail-demo')).textContent).toContain('Outbox')
    expect(screen.queryByLabelText('Mail server')).toBeNull()
    await fireEvent.click(screen.getByTestId('mail-test'))
    expect((await screen.findByTestId('mail-test-result')).textContent).toContain('demo outbox')
  })

  it('saves the mailbox; the password goes to Go once and is never shown back', async () => {
    installFakeBackend()
    const fake = installFakeRemind()
    render(Email)
    await fireEvent.input(await screen.findByLabelText('Mail server'), { target: { value: 'smtp.office365.com' } })
    await fireEvent.input(screen.getByLabelText('User name'), { target: { value: 'office@practice.nz' } })
    await fireEvent.input(screen.getByLabelText('Password'), { target: { value: 's3cret' } })
    await fireEvent.input(screen.getByLabelText('From address'), { target: { value: 'office@practice.nz' } })
    await fireEvent.click(screen.getByLabelText(/^TLS/))
    expect((screen.getByLabelText('Port') as HTMLInputElement).value).toBe('465')
    await fireEvent.click(screen.getByTestId('mail-save'))
    await waitFor(() => expect(fake.RemindService.SaveMailSettings).toHaveBeenCalled())
    const [settings, password] = fake.RemindService.SaveMailSettings.mock.calls[0]
    expect(settings).toMatchObject({ host: 'smtp.office365.com', port: 465, security: 'tls', fromAddress: 'office@practice.nz' })
    expect(password).toBe('s3cret')
    await waitFor(() => expect((screen.getByLabelText('Password') as HTMLInputElement).value).toBe(''))
    expect(document.body.textContent).not.toContain('s3cret')
    expect(screen.getByText(/A password is saved in this computer’s keyring/)).toBeTruthy()
  })

  it('a test that fails shows the mail server’s refusal in words', async () => {
    installFakeBackend()
    const fake = installFakeRemind({ setup: { ready: true, passwordSaved: true, settings: { host: 'smtp.example.com', port: 587, security: 'starttls', username: 'u', fromName: '', fromAddress: 'o@p.nz', replyTo: '' } } })
    fake.state.password = 'wrong'
    render(Email)
    await fireEvent.click(await screen.findByTestId('mail-test'))
    const r = await screen.findByTestId('mail-test-result')
    expect(r.textContent).toBe('smtp.example.com refused the login: check the user name and password.')
    expect(r.className).toContain('bad')
  })

  it('checks the addresses before saving', async () => {
    installFakeBackend()
    const fake = installFakeRemind()
    render(Email)
    await fireEvent.input(await screen.findByLabelText('Mail server'), { target: { value: 'smtp.example.com' } })
    await fireEvent.input(screen.getByLabelText('From address'), { target: { value: 'not an address' } })
    await fireEvent.click(screen.getByTestId('mail-save'))
    expect((await screen.findByRole('alert')).textContent).toContain('Enter the address reminders come from')
    expect(fake.RemindService.SaveMailSettings).not.toHaveBeenCalled()
  })
})

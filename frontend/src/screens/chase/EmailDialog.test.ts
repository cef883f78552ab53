import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import EmailDialog from './EmailDialog.svelte'
import { installFakeChase } from '../../test/fakeChase'
import type { ChaseRow } from '../../lib/chaseApi'

const ZERO = '0001-01-01T00:00:00Z'
const base = { state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO, daysWaiting: 4, docsSince: 0, lastChased: ZERO, source: 'xpm' }
const rows: ChaseRow[] = [
  { ...base, clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', email: 'mia@cedar.nz', jobId: 'J000001', jobName: 'GST Return' },
  { ...base, clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', email: 'mia@cedar.nz', jobId: 'J000002', jobName: 'Annual Accounts' },
]

describe('EmailDialog', () => {
  it('previews subject and body listing the outstanding jobs, and follows edits', async () => {
    const fake = installFakeChase(rows)
    render(EmailDialog, { row: rows[0], onclose: () => {}, onchased: () => {} })
    await waitFor(() => expect(screen.getByTestId('email-subject').textContent).toBe('Documents needed for Cedar Cafe'))
    const preview = screen.getByTestId('email-preview').textContent ?? ''
    expect(preview).toContain('Hi Mia,')
    expect(preview).toContain('- GST Return')
    expect(preview).toContain('- Annual Accounts')
    expect(preview).toContain('mia@cedar.nz')

    const box = screen.getByLabelText('Template') as HTMLTextAreaElement
    await fireEvent.input(box, { target: { value: 'Subject: Records please, {{.ClientName}}\nKia ora {{.FirstName}}' } })
    await waitFor(() => expect(screen.getByTestId('email-subject').textContent).toBe('Records please, Cedar Cafe'))
    expect(fake.ChaseService.ChaseEmail).toHaveBeenLastCalledWith('c1', 'Subject: Records please, {{.ClientName}}\nKia ora {{.FirstName}}')
    // An edited template can be saved.
    const save = screen.getByRole('button', { name: 'Save template' })
    expect((save as HTMLButtonElement).disabled).toBe(false)
    await fireEvent.click(save)
    await waitFor(() => expect(fake.ChaseService.SaveEmailTemplate).toHaveBeenCalledOnce())
  })

  it('shows a template mistake in words and will not copy', async () => {
    installFakeChase(rows)
    render(EmailDialog, { row: rows[0], onclose: () => {}, onchased: () => {} })
    await waitFor(() => screen.getByTestId('email-subject'))
    await fireEvent.input(screen.getByLabelText('Template'), { target: { value: 'Hi {{.FirstName' } })
    await waitFor(() => expect(screen.getByRole('alert').textContent).toMatch(/template has a mistake/))
    expect((screen.getByRole('button', { name: 'Copy email' }) as HTMLButtonElement).disabled).toBe(true)
  })
})

import { beforeEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import EmailDialog from './EmailDialog.svelte'
import { installFakeChase } from '../../test/fakeChase'
import type { ChaseRow } from '../../lib/chaseApi'
import { resetChase } from './store.svelte'

const ZERO = '0001-01-01T00:00:00Z'
const base = { state: 'Awaiting Information', dueDate: ZERO, waitingSince: ZERO, daysWaiting: 4, docsSince: 0, lastChased: ZERO, source: 'xpm' }
const rows = (): ChaseRow[] => [
  { ...base, clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', email: 'mia@cedar.nz', jobId: 'J000001', jobName: 'GST Return', docsNeeded: ['Bank statements'] },
  { ...base, clientKey: 'c1', clientName: 'Cedar Cafe', person: 'Mia Chen', email: 'mia@cedar.nz', jobId: 'J000002', jobName: 'Annual Accounts' },
  { ...base, clientKey: 'c2', clientName: 'Other Co', jobId: 'J000003', jobName: 'Payroll' },
]

describe('EmailDialog', () => {
  beforeEach(() => resetChase())

  it('shows the saved template in words (never Go template code) and previews it from the list in memory', async () => {
    const rs = rows()
    const fake = installFakeChase(rs)
    render(EmailDialog, { row: rs[0], rows: rs, practice: 'Demo Practice Ltd', onclose: () => {}, onchased: () => {} })
    const body = screen.getByLabelText('Email') as HTMLTextAreaElement
    await waitFor(() => expect(fake.ChaseService.EmailTemplates).toHaveBeenCalled())
    await waitFor(() => expect(body.value).toContain('Kia ora {client first name}'))
    expect(body.value).not.toContain('{{')
    expect((screen.getByLabelText('Subject') as HTMLInputElement).value).toBe('Documents needed for {client name}')
    expect(screen.getByTestId('email-subject').textContent).toBe('Documents needed for Cedar Cafe')
    const preview = screen.getByTestId('email-preview').textContent ?? ''
    expect(preview).toContain('Kia ora Mia,')
    expect(preview).toContain('- GST Return')
    expect(preview).toContain('- Annual Accounts')
    expect(preview).not.toContain('Payroll')
    expect(preview).toContain('mia@cedar.nz')
    // The preview is made here, not asked of Go for every key (the fake has no ChaseEmail or PreviewEmail).
  })

  it('inserts a placeholder from the menu at the caret and follows edits live', async () => {
    const rs = rows()
    installFakeChase(rs)
    render(EmailDialog, { row: rs[0], rows: rs, practice: 'Demo Practice Ltd', onclose: () => {}, onchased: () => {} })
    const subject = screen.getByLabelText('Subject') as HTMLInputElement
    await waitFor(() => expect(subject.value).not.toBe(''))
    await new Promise((r) => setTimeout(r, 0)) // the saved templates arrive
    await fireEvent.input(subject, { target: { value: 'Records please, ' } })
    await waitFor(() => expect(screen.getByTestId('email-subject').textContent).toBe('Records please,'))
    await fireEvent.focus(subject)
    subject.setSelectionRange(subject.value.length, subject.value.length)
    await fireEvent.change(screen.getByTestId('insert-placeholder'), { target: { value: 'practice' } })
    await waitFor(() => expect(subject.value).toBe('Records please, {practice name}'))
    expect(screen.getByTestId('email-subject').textContent).toBe('Records please, Demo Practice Ltd')
  })

  it('a document added to a job goes into the email and is saved for the job', async () => {
    const rs = rows()
    const fake = installFakeChase(rs)
    render(EmailDialog, { row: rs[0], rows: rs, practice: 'Demo Practice Ltd', onclose: () => {}, onchased: () => {} })
    await waitFor(() => expect(screen.getByTestId('email-body').textContent).toContain('- Bank statements'))
    const add = screen.getByLabelText('Add a document needed for Annual Accounts')
    await fireEvent.input(add, { target: { value: 'Fixed asset register' } })
    await fireEvent.keyDown(add, { key: 'Enter' })
    await waitFor(() => expect(screen.getByTestId('email-body').textContent).toContain('- Fixed asset register'))
    await waitFor(() => expect(fake.ChaseService.SetDocsNeeded).toHaveBeenCalledWith('J000002', ['Fixed asset register']), { timeout: 2000 })
  })

  it('saves the edited template for this job state only when asked', async () => {
    const rs = rows()
    const fake = installFakeChase(rs)
    render(EmailDialog, { row: rs[0], rows: rs, practice: 'Demo Practice Ltd', onclose: () => {}, onchased: () => {} })
    const body = screen.getByLabelText('Email') as HTMLTextAreaElement
    await waitFor(() => expect(body.value).toContain('{client first name}'))
    await fireEvent.click(screen.getByLabelText(/Only for jobs in/))
    await fireEvent.input(body, { target: { value: 'Kia ora {client first name}' } })
    await fireEvent.click(screen.getByRole('button', { name: 'Save template' }))
    await waitFor(() => expect(fake.ChaseService.SaveEmailTemplate).toHaveBeenCalledWith('Awaiting Information', 'Documents needed for {client name}', 'Kia ora {client first name}'))
  })
})

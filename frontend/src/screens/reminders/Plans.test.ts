import { describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import Plans from './Plans.svelte'
import { installFakeBackend } from '../../test/fakeBackend'
import { installFakeRemind } from '../../test/fakeRemind'

async function openPlan(name = 'Awaiting Information') {
  installFakeBackend()
  const fake = installFakeRemind()
  render(Plans, { ongo: () => {} })
  const card = (await screen.findAllByTestId('plan')).find((c) => c.textContent?.includes(name))!
  expect(card.textContent).toContain('First request, then a reminder every 5 business days, up to 3 reminders')
  await fireEvent.click(within(card).getByRole('button', { name: `Edit the plan for ${name}` }))
  return { fake, editor: await screen.findByTestId('plan-editor') }
}

describe('Plans', () => {
  it('lists a plan per waiting state and one for clients marked by hand', async () => {
    installFakeBackend()
    installFakeRemind()
    render(Plans, { ongo: () => {} })
    const cards = await screen.findAllByTestId('plan')
    expect(cards.map((c) => c.querySelector('h2')?.textContent)).toEqual(['Awaiting Information', 'Clients marked by hand'])
    expect(cards[0].textContent).toContain('You send')
  })

  it('switching to automatic asks first; keeping it manual changes nothing', async () => {
    const { fake, editor } = await openPlan()
    await fireEvent.click(within(editor).getByTestId('plan-automatic'))
    const dlg = await screen.findByRole('dialog', { name: 'Send these reminders automatically?' })
    await fireEvent.click(within(dlg).getByRole('button', { name: 'Keep sending them myself' }))
    expect(screen.queryByRole('dialog')).toBeNull()
    expect((within(editor).getByTestId('plan-automatic') as HTMLInputElement).checked).toBe(false)
    // …and the manual choice still shows as chosen (never neither).
    await waitFor(() => expect((within(editor).getByLabelText(/A person, from Due today/) as HTMLInputElement).checked).toBe(true))

    await fireEvent.click(within(editor).getByTestId('plan-automatic'))
    await fireEvent.click(within(await screen.findByRole('dialog')).getByTestId('confirm-automatic'))
    expect((within(editor).getByTestId('plan-automatic') as HTMLInputElement).checked).toBe(true)
    expect((within(editor).getByLabelText(/A person, from Due today/) as HTMLInputElement).checked).toBe(false)
    await fireEvent.click(within(editor).getByTestId('plan-save'))
    await waitFor(() => expect(fake.RemindService.SavePlan).toHaveBeenCalled())
    expect(fake.RemindService.SavePlan.mock.calls[0][0]).toMatchObject({ id: 'awaiting information', automatic: true })
    const card = (await screen.findAllByTestId('plan'))[0]
    await waitFor(() => expect(card.textContent).toContain('Sends automatically'))
  })

  it('edits cadence, days, hours, documents and the wording of a new firmer step', async () => {
    const { fake, editor } = await openPlan()
    await fireEvent.input(within(editor).getByTestId('plan-every'), { target: { value: '3' } })
    await fireEvent.click(within(editor).getByLabelText('Sat'))
    await fireEvent.change(within(editor).getByLabelText('First hour to send'), { target: { value: '8' } })
    const add = within(editor).getByLabelText('Add a document to ask for')
    await fireEvent.input(add, { target: { value: 'Receipts' } })
    await fireEvent.keyDown(add, { key: 'Enter' })
    expect(within(editor).getByText('Receipts')).toBeTruthy()
    await fireEvent.click(within(editor).getByTestId('plan-add-step'))
    expect((within(editor).getByTestId('plan-subject') as HTMLInputElement).value).toBe('Reminder: documents needed for {client name}')
    // The preview fills the placeholders for a sample client, with the plan's documents.
    expect(within(editor).getByLabelText('Preview for a sample client').textContent).toContain('- Receipts')
    await fireEvent.click(within(editor).getByTestId('plan-save'))
    await waitFor(() => expect(fake.RemindService.SavePlan).toHaveBeenCalled())
    const saved = fake.RemindService.SavePlan.mock.calls[0][0]
    expect(saved).toMatchObject({ everyDays: 3, quietDays: [0], sendFrom: 8, defaultDocs: ['Bank statements', 'Receipts'] })
    expect(saved.steps).toHaveLength(3)
  })

  it('a plan that cannot work is not saved and says why', async () => {
    const { fake, editor } = await openPlan()
    await fireEvent.input(within(editor).getByTestId('plan-every'), { target: { value: '0' } })
    await fireEvent.click(within(editor).getByTestId('plan-save'))
    expect((await within(editor).findAllByRole('alert'))[0].textContent).toBe('Choose between 1 and 60 business days.')
    expect(fake.RemindService.SavePlan).not.toHaveBeenCalled()
  })
})

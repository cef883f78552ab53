import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte'
import StateMoveOffer from './StateMoveOffer.svelte'
import { installFakeChase, installFakeEvents } from '../../test/fakeChase'

const suggestion = {
  jobId: 'J000123', jobName: 'GST Return', clientUuid: 'u1', clientName: 'Cedar Cafe',
  fromState: 'Awaiting Information', toState: 'Records Received', toCode: '',
}
let events: ReturnType<typeof installFakeEvents>
afterEach(() => events?.uninstall())

describe('StateMoveOffer', () => {
  it('asks before moving; moves only on Move, naming the state (never a typed code)', async () => {
    events = installFakeEvents()
    const fake = installFakeChase([])
    fake.ChaseService.SuggestStateMove.mockResolvedValue([suggestion])
    render(StateMoveOffer)
    events.emit('upload:done', { state: 'done', contact: { id: 'c1', name: 'Cedar Cafe' } })
    const text = await screen.findByTestId('move-offer')
    expect(text.textContent).toMatch(/Move job J000123 \(GST Return\) from “Awaiting Information” to “Records Received”/)
    expect(fake.ChaseService.SuggestStateMove).toHaveBeenCalledWith('c1')
    expect(fake.ChaseService.ApplyStateMove).not.toHaveBeenCalled()
    expect(screen.queryByRole('textbox')).toBeNull() // no Interface Code to type
    await fireEvent.click(screen.getByRole('button', { name: 'Move' }))
    await waitFor(() => expect(fake.ChaseService.ApplyStateMove).toHaveBeenCalledWith('J000123', 'Records Received'))
    await waitFor(() => expect(screen.queryByTestId('move-offer')).toBeNull())
  })

  it('a refusal says in words what happened and keeps the offer open', async () => {
    events = installFakeEvents()
    const fake = installFakeChase([])
    fake.ChaseService.SuggestStateMove.mockResolvedValue([suggestion])
    fake.ChaseService.ApplyStateMove.mockRejectedValue(new Error(JSON.stringify({ code: 'xpm_read_only', message: 'Moving jobs is off in Settings.' })))
    render(StateMoveOffer)
    events.emit('upload:done', { state: 'done', contact: { id: 'c1', name: 'Cedar Cafe' } })
    await fireEvent.click(await screen.findByRole('button', { name: 'Move' }))
    const why = await screen.findByTestId('move-refused')
    expect(why.textContent).toBe('The job was not moved. Moving jobs is off in Settings.')
    expect(screen.getByTestId('move-offer')).toBeTruthy()
  })

  it('“Not now” moves nothing; failed uploads offer nothing; a job is offered once', async () => {
    events = installFakeEvents()
    const fake = installFakeChase([])
    fake.ChaseService.SuggestStateMove.mockResolvedValue([{ ...suggestion, toCode: 'RECEIVED' }])
    render(StateMoveOffer)
    events.emit('upload:done', { state: 'failed', contact: { id: 'c1', name: 'Cedar Cafe' } })
    expect(fake.ChaseService.SuggestStateMove).not.toHaveBeenCalled()
    events.emit('upload:done', { state: 'done', contact: { id: 'c1', name: 'Cedar Cafe' } })
    await screen.findByTestId('move-offer')
    await fireEvent.click(screen.getByRole('button', { name: 'Not now' }))
    await waitFor(() => expect(screen.queryByTestId('move-offer')).toBeNull())
    events.emit('upload:done', { state: 'done', contact: { id: 'c1', name: 'Cedar Cafe' } })
    await waitFor(() => expect(fake.ChaseService.SuggestStateMove).toHaveBeenCalledTimes(2))
    expect(screen.queryByTestId('move-offer')).toBeNull()
    expect(fake.ChaseService.ApplyStateMove).not.toHaveBeenCalled()
  })
})

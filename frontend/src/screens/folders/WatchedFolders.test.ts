import { afterEach, describe, expect, it } from 'vitest'
import { fireEvent, render, screen, waitFor, within } from '@testing-library/svelte'
import WatchedFolders from '../WatchedFolders.svelte'
import { folder, installFakeFolders, review } from '../../test/fakeFolders'
import { toasts } from '../../lib/toasts.svelte'

afterEach(() => {
  document.body.innerHTML = ''
  toasts.splice(0)
})

describe('Watched folders screen', () => {
  it('with no folders: explains them, and Add a folder asks the folder then its settings', async () => {
    const fake = installFakeFolders()
    render(WatchedFolders)
    await screen.findByRole('heading', { name: 'No watched folders' })
    await fireEvent.click(screen.getByRole('button', { name: 'Add a folder' }))
    const form = await screen.findByTestId('folder-form')
    expect(form.textContent).toContain('/new/scans')
    await fireEvent.click(within(form).getByLabelText(/Always one client/))
    await fireEvent.click(within(form).getByRole('button', { name: 'Start watching' }))
    expect(await within(form).findByRole('alert')).toBeTruthy() // no client chosen yet
    expect(fake.FoldersService.AddFolder).not.toHaveBeenCalled()
    await fireEvent.input(within(form).getByRole('combobox'), { target: { value: 'jones' } })
    await fireEvent.mouseDown(await within(form).findByText('Jones Bakery'))
    await fireEvent.click(within(form).getByRole('button', { name: 'Start watching' }))
    await waitFor(() => expect(fake.FoldersService.AddFolder).toHaveBeenCalledWith('/new/scans', 'fixed', 'c-jones', 'move'))
    const card = await screen.findByTestId('watched-folder')
    expect(card.textContent).toContain('Always Jones Bakery')
  })

  it('a folder in error says why and what to do', async () => {
    installFakeFolders({ folders: [folder({ state: 'error', message: 'The folder /scans cannot be found: it was moved, renamed or its drive is offline. chase.md keeps trying.' })] })
    render(WatchedFolders)
    const card = await screen.findByTestId('watched-folder')
    expect(card.textContent).toContain('Needs attention')
    expect(card.textContent).toContain('/scans cannot be found')
    expect(card.textContent).toMatch(/drive or network share is connected/)
  })

  it('Review: choose a suggestion, save a rule, and the file is filed', async () => {
    const fake = installFakeFolders({ folders: [folder({ review: 1 })], reviews: [review()] })
    render(WatchedFolders)
    const item = await screen.findByTestId('review-item')
    expect(within(item).getByTestId('review-why').textContent).toBe('Two clients match equally')
    const file = within(item).getByTestId('review-file') as HTMLButtonElement
    expect(file.disabled).toBe(true)
    await fireEvent.click(within(item).getByLabelText(/Smith and Co Limited/))
    await waitFor(() => expect(item.textContent).toContain('smith co ltd invoice *.pdf'))
    await fireEvent.click(within(item).getByTestId('review-rule'))
    await fireEvent.click(within(item).getByRole('button', { name: 'File for Smith and Co Limited' }))
    await waitFor(() => expect(fake.FoldersService.ResolveReview).toHaveBeenCalledWith(7, 'c-smith2', true))
    await screen.findByTestId('review-empty')
    await waitFor(() => expect(screen.getByTestId('filed-today').textContent).toContain('Smith and Co Limited'))
    expect(screen.getByTestId('rules').textContent).toContain('smith co ltd invoice *.pdf')
  })

  it('Review: a scanner\'s default name offers no rule, and Preview shows the file', async () => {
    const fake = installFakeFolders({ folders: [folder({ review: 1 })], reviews: [review({ name: 'scan_0001.pdf', rel: 'scan_0001.pdf' })] })
    render(WatchedFolders)
    const item = await screen.findByTestId('review-item')
    await fireEvent.click(within(item).getByLabelText(/Smith and Co Limited/))
    await within(item).findByTestId('review-no-rule')
    expect(within(item).queryByTestId('review-rule')).toBeNull()
    await fireEvent.click(within(item).getByTestId('review-preview'))
    const img = await screen.findByTestId('preview-image')
    expect(img.getAttribute('src')).toMatch(/^data:image\/png;base64,/)
    expect(fake.FoldersService.PreviewReview).toHaveBeenCalledWith(7)
  })

  it('Review: a refused file offers only Dismiss, which leaves it in place', async () => {
    const fake = installFakeFolders({
      folders: [folder()],
      reviews: [review({ kind: 'refused', reason: 'This file is 12.4 MB; Xero accepts files up to 10 MB.', suggestions: [] })],
    })
    render(WatchedFolders)
    const item = await screen.findByTestId('review-item')
    expect(within(item).getByTestId('review-why').textContent).toBe('This file is 12.4 MB; Xero accepts files up to 10 MB.')
    expect(within(item).queryByTestId('review-file')).toBeNull()
    await fireEvent.click(within(item).getByTestId('review-dismiss'))
    await waitFor(() => expect(fake.FoldersService.DismissReview).toHaveBeenCalledWith(7))
    await screen.findByTestId('review-empty')
  })
})

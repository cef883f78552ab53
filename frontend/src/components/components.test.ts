import { describe, expect, it } from 'vitest'
import { render, screen } from '@testing-library/svelte'
import { createRawSnippet } from 'svelte'
import Button from './Button.svelte'
import Input from './Input.svelte'
import ProgressBar from './ProgressBar.svelte'

const text = (s: string) => createRawSnippet(() => ({ render: () => `<span>${s}</span>` }))

describe('design system', () => {
  it('a busy button cannot be pressed twice', () => {
    render(Button, { busy: true, children: text('Save') })
    const b = screen.getByRole('button', { name: 'Save' })
    expect(b.hasAttribute('disabled')).toBe(true)
    expect(b.getAttribute('aria-busy')).toBe('true')
  })

  it('an input with an error says so to screen readers', () => {
    render(Input, { label: 'Xero client ID', error: 'Too short.' })
    const input = screen.getByLabelText('Xero client ID')
    expect(input.getAttribute('aria-invalid')).toBe('true')
    const msg = screen.getByRole('alert')
    expect(msg.textContent).toBe('Too short.')
    expect(input.getAttribute('aria-describedby')).toBe(msg.id)
  })

  it.each([
    [0.424, '42'],
    [2, '100'],
    [-1, '0'],
  ])('progress %s shows %s%%', (value, now) => {
    render(ProgressBar, { value, label: 'Uploading' })
    expect(screen.getByRole('progressbar', { name: 'Uploading' }).getAttribute('aria-valuenow')).toBe(now)
  })

  it('progress without a value is indeterminate', () => {
    render(ProgressBar, { label: 'Syncing' })
    expect(screen.getByRole('progressbar').hasAttribute('aria-valuenow')).toBe(false)
  })
})

import { describe, expect, it } from 'vitest'
import { keyLabel, shortcutFor } from './shortcuts'

const key = (k: string, mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey', boolean>> = {}) =>
  ({ key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods })

describe('shortcutFor', () => {
  it.each([
    [key('k', { ctrlKey: true }), false, { kind: 'search' }],
    [key('K', { ctrlKey: true }), false, { kind: 'search' }],
    [key('k', { metaKey: true }), true, { kind: 'search' }],
    [key('k', { metaKey: true }), false, null], // ⌘ is not Mod off a Mac
    [key('k'), false, null],
    [key('1', { ctrlKey: true }), false, { kind: 'screen', id: 'clients' }],
    [key('3', { ctrlKey: true }), false, { kind: 'screen', id: 'reminders' }],
    [key('7', { ctrlKey: true }), false, { kind: 'screen', id: 'settings' }],
    [key('8', { ctrlKey: true }), false, null],
    [key('r', { ctrlKey: true }), false, { kind: 'sync' }],
    [key('k', { ctrlKey: true, shiftKey: true }), false, null],
  ])('%j (mac=%s)', (e, mac, want) => {
    expect(shortcutFor(e, mac)).toEqual(want)
  })
})

it('labels Mod for the platform', () => {
  expect(keyLabel('Mod+K', false)).toBe('Ctrl+K')
  expect(keyLabel('Mod+K', true)).toBe('⌘+K')
})

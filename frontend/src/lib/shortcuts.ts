import { screens, type ScreenId } from './screens'

export type ShortcutAction = { kind: 'search' } | { kind: 'screen'; id: ScreenId } | { kind: 'sync' }

/** What each shortcut does, for Settings' list. `Mod` is Ctrl, or ⌘ on a Mac. */
export const shortcutList: { keys: string; does: string }[] = [
  { keys: 'Mod+K', does: 'Search clients' },
  ...screens.map((s, i) => ({ keys: `Mod+${i + 1}`, does: `Go to ${s.label}` })),
  { keys: 'Mod+R', does: 'Sync now' },
  { keys: 'Tab / Shift+Tab', does: 'Move between controls' },
  { keys: 'Enter / Space', does: 'Press the focused button' },
]

export function isMac(platform = typeof navigator !== 'undefined' ? navigator.platform : ''): boolean {
  return /mac/i.test(platform)
}

/** Shows `Mod` as Ctrl or ⌘ for this computer. */
export function keyLabel(keys: string, mac = isMac()): string {
  return keys.replaceAll('Mod', mac ? '⌘' : 'Ctrl')
}

type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>

/** Maps a key press to a shell action, or null when it is not a shortcut. */
export function shortcutFor(e: KeyLike, mac = isMac()): ShortcutAction | null {
  const mod = mac ? e.metaKey : e.ctrlKey
  if (!mod || e.altKey || e.shiftKey) return null
  const key = e.key.toLowerCase()
  if (key === 'k') return { kind: 'search' }
  if (key === 'r') return { kind: 'sync' }
  const n = Number(key)
  if (Number.isInteger(n) && n >= 1 && n <= screens.length) return { kind: 'screen', id: screens[n - 1].id }
  return null
}

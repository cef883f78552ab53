import { afterEach } from 'vitest'
import { cleanup } from '@testing-library/svelte'

afterEach(() => {
  cleanup()
  delete (window as unknown as { go?: unknown }).go
})

// One read from the Go side as a screen shows it: the value, whether it has
// arrived, and the error in words when it could not be read.
import type { ApiError } from './api'

export class Reader<T> {
  value: T = $state() as T
  loaded = $state(false)
  error = $state<ApiError | null>(null)
  #read: () => Promise<T>

  constructor(read: () => Promise<T>, init: T) {
    this.#read = read
    this.value = init
  }

  /** Reads again; the old value stays on screen until the new one arrives. */
  load = async (): Promise<void> => {
    try {
      this.value = await this.#read()
      this.error = null
    } catch (e) {
      this.error = e as ApiError
    } finally {
      this.loaded = true
    }
  }
}

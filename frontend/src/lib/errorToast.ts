// An error toast for a failed call, with the action the Go side offers: a
// missing Xero permission ('signin') gets a Sign in again button, since the
// sign-in asks for every permission chase.md needs.
import { toApiError } from './api'
import { authApi } from './authApi'
import { showToast, type ToastAction } from './toasts.svelte'

export function showError(e: unknown, signIn: () => Promise<unknown> = authApi.signIn): number {
  const err = toApiError(e)
  let action: ToastAction | undefined
  if (err.action === 'signin') {
    action = {
      label: 'Sign in again',
      run: () =>
        signIn().then(
          () => showToast('success', 'Signed in to Xero again. Try what you were doing once more.'),
          (e2: unknown) => {
            if (toApiError(e2).code !== 'cancelled') showError(e2, signIn)
          },
        ),
    }
  }
  return showToast('error', err.message, 0, action, err.code)
}

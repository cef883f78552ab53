// Helpers shared by the demo-mode end-to-end tests.

export const go = (page, fn, ...args) => page.evaluate(([fn, args]) => {
  const [svc, m] = fn.split('.')
  return window.go.app[svc][m](...args)
}, [fn, args])

/** Demo mode, its first sync finished, the Clients screen open. */
export async function demoClients(page) {
  const info = await go(page, 'StatusService.Info')
  if (!info.demo) {
    await go(page, 'StatusService.SetDemo', true)
    await page.reload()
  }
  await page.waitForFunction(async () => {
    const s = await window.go.app.ClientsService.SyncStatus()
    return s.connected && !s.running && !s.lastSynced.startsWith('0001') && s.counts.total > 0
  }, null, { timeout: 60_000, polling: 250 })
  await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Clients' }).click()
  await page.getByTestId('client-list').waitFor()
}

/** Types q into the top bar's search and returns the ms from the first key to the rendered result. */
export async function searchFor(page, q) {
  await page.keyboard.press('Control+k')
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Backspace')
  await page.evaluate(() => { window.__t0 = performance.now() })
  await page.keyboard.type(q, { delay: 30 })
  await page.waitForFunction((q) => document.querySelector('[data-testid=client-list]')?.dataset.query === q, q)
  return page.evaluate(() => performance.now() - window.__t0)
}

/** Polls fn until it returns something truthy (a failed call counts as not yet); throws after ms. */
export async function until(fn, what, ms = 90_000) {
  const end = Date.now() + ms
  for (;;) {
    const v = await fn().catch(() => null)
    if (v) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 250))
  }
}

// End-to-end: the Clients screen with a practice of 10,000 demo clients.
// scripts/e2e.sh runs this file in its own pass, with CHASE_DEMO_CONTACTS=10000
// set for both `wails dev` and the test; it saves artifacts/e2e/clients-10k*.png
// and prints the scroll and search figures as bench lines.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'
import { demoClients, go, searchFor } from './demo.mjs'

describe('Clients screen (10,000 demo clients)', () => {
  let app, page
  before(async () => {
    assert.ok(Number(process.env.CHASE_DEMO_CONTACTS ?? 0) >= 10_000, 'run with CHASE_DEMO_CONTACTS=10000 (scripts/e2e.sh does)')
    app = await openApp()
    page = app.page
    await demoClients(page)
  })
  after(async () => {
    await go(page, 'StatusService.SetDemo', false).catch(() => {})
    await app?.close()
  })

  test('10,000 clients: smooth scroll and search', async () => {
    await searchFor(page, '')
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=client-list]')?.dataset.total) >= 9000, null, { timeout: 60_000 })
    // Scroll through the whole list a frame at a time and time the frames.
    const frames = await page.evaluate(async () => {
      const vp = document.querySelector('[data-testid=client-list]')
      const times = []
      let last = performance.now()
      for (let i = 0; i <= 120; i++) {
        vp.scrollTop = (vp.scrollHeight - vp.clientHeight) * (i / 120)
        await new Promise((r) => requestAnimationFrame(() => r()))
        const now = performance.now()
        times.push(now - last)
        last = now
      }
      times.sort((a, b) => a - b)
      // rows rendered (loaded or placeholders) under the spacer's window
      return { p50: times[60], p95: times[114], max: times[120], rows: vp.firstElementChild.firstElementChild.children.length }
    })
    console.log(`bench: e2e.clients10k.scroll_frame_p50 ${frames.p50.toFixed(1)} ms`)
    console.log(`bench: e2e.clients10k.scroll_frame_p95 ${frames.p95.toFixed(1)} ms`)
    console.log(`bench: e2e.clients10k.dom_rows ${frames.rows} rows`)
    assert.ok(frames.rows > 0 && frames.rows < 80, `${frames.rows} rows in the DOM`)
    await page.evaluate(() => { document.querySelector('[data-testid=client-list]').scrollTop = 5000 * 56 })
    await page.waitForTimeout(300)
    await shot(page, 'clients-10k')
    // Search latency: one query in one go (no typing delay), from the input event to rendered rows.
    const ms = await page.evaluate(async () => {
      const input = document.getElementById('global-search')
      const out = []
      for (const q of ['smith', 'ltd', 'acc-01', 'jo', 'consult']) {
        const t0 = performance.now()
        input.value = q
        input.dispatchEvent(new Event('input', { bubbles: true }))
        const vp = document.querySelector('[data-testid=client-list]')
        while (vp.dataset.query !== q) await new Promise((r) => requestAnimationFrame(() => r()))
        out.push([q, performance.now() - t0, Number(vp.dataset.searchMs), Number(vp.dataset.total)])
      }
      return out
    })
    for (const [q, total, inPage, n] of ms) {
      console.log(`bench: e2e.clients10k.search_ms[${q}] ${total.toFixed(0)} ms (incl. 120 ms debounce; ${n} matches; list says ${inPage} ms)`)
      assert.ok(n > 0 && n < 10_000, `“${q}” finds some of the 10,000 clients, not none or all (${n})`)
    }
    await page.locator('[data-testid=client-list] [data-drop-client-id]').first().waitFor()
    await shot(page, 'clients-10k-search')
  })
})

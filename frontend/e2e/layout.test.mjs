// End-to-end: every main screen of the real app at the smallest and a large
// window (1024×700, 1920×1080), light and dark, driven by the keyboard only,
// shot for a person to look at. What a shot can hide is measured: nothing runs
// off the right edge of the content area, the Chase list's tabs stay on one
// line, and the element the keyboard focused shows a focus ring. It runs in
// the big pass (10,000 demo contacts), then again with Xero unreachable (every
// API call dropped by the demo Xero, as the offline pass does).
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { openApp, shot } from './browser.mjs'

const screens = ['Clients', 'Chase list', 'Reminders', 'Uploads', 'Watched folders', 'Activity', 'Settings']
const sizes = [{ width: 1024, height: 700 }, { width: 1920, height: 1080 }]
const slug = (s) => s.toLowerCase().replace(/\s+/g, '-')
const pass = process.env.CHASE_DEMO_CONTACTS ? 'big' : 'main'

/** Sets the demo Xero's faults ("" mends it); only e2e builds answer. */
async function faults(page, spec) {
  const info = await page.evaluate(() => window.go.app.StatusService.Info())
  const resp = await fetch(`${info.sandboxUrl}/_sandbox/faults?spec=${encodeURIComponent(spec)}`, { method: 'POST' })
  assert.equal(resp.status, 200, await resp.text())
}

/** Goes to a screen with the keyboard only: Ctrl+1…7, the app's own shortcuts (Settings › Shortcuts). */
async function goByKeyboard(page, name) {
  await page.keyboard.press('Escape') // nothing left open from the last screen
  await page.keyboard.press(`Control+${screens.indexOf(name) + 1}`)
  await page.locator(`main#content h1`).filter({ hasText: name }).first().waitFor({ timeout: 15_000 })
}

/** What the eye misses in a shot: wide content, wrapped tabs, an invisible focus. */
function measure() {
  const main = document.querySelector('main#content')
  const problems = []
  if (main && main.scrollWidth > main.clientWidth + 1) {
    const wide = [...main.querySelectorAll('*')].filter((e) => e.getBoundingClientRect().right > main.getBoundingClientRect().right + 1 && getComputedStyle(e).position !== 'fixed')
      .slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')}`)
    problems.push(`content ${main.scrollWidth}px wide in ${main.clientWidth}px: ${wide.join(', ')}`)
  }
  // A table in its own sideways scroller hides its last columns just as well.
  for (const e of main?.querySelectorAll('*') ?? []) {
    const ox = getComputedStyle(e).overflowX
    if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1 && e.clientWidth > 0) {
      problems.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} scrolls sideways (${e.scrollWidth}px in ${e.clientWidth}px)`)
    }
  }
  const tabs = [...document.querySelectorAll('[role=tab]')]
  if (tabs.length && new Set(tabs.map((t) => Math.round(t.getBoundingClientRect().top))).size > 1) problems.push('the tabs wrap onto two lines')
  return problems
}

function focusRing() {
  const a = document.activeElement
  if (!a || a === document.body) return 'nothing focused'
  const cs = getComputedStyle(a)
  const ring = (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none')
  return ring ? '' : `${a.tagName.toLowerCase()} "${a.textContent.trim().slice(0, 30)}" has no visible focus`
}

describe(`every screen at two window sizes, light and dark (${pass} pass)`, () => {
  let app, page
  const problems = []

  before(async () => {
    app = await openApp()
    page = app.page
    if (!(await page.evaluate(() => window.go.app.StatusService.Info())).demo) {
      await page.evaluate(() => window.go.app.StatusService.SetDemo(true))
      await page.reload()
    }
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 60_000 })
    await page.waitForFunction(async () => {
      try { return (await window.go.app.UploadsService.FindClients('', 5)).length > 0 } catch { return false }
    }, null, { timeout: 120_000, polling: 500 })
  })

  after(async () => {
    if (page) await faults(page, '').catch(() => {})
    await page?.evaluate(() => window.go.app.SettingsService.SetLastScreen('clients')).catch(() => {})
    await app?.close()
  })

  const rounds = [...sizes.flatMap((size) => ['light', 'dark'].map((scheme) => ({ size, scheme, offline: false }))),
    ...['light', 'dark'].map((scheme) => ({ size: sizes[0], scheme, offline: true }))]
  for (const { size, scheme, offline } of rounds) {
    {
      test(`${size.width}×${size.height} ${scheme}${offline ? ', Xero unreachable' : ''}`, async () => {
        if (offline && !(await page.getByTestId('connection-banner').count())) {
          await faults(page, '/*.xro/*=drop')
          await page.evaluate(() => window.go.app.StatusService.RetryNow()).catch(() => {})
          await page.getByTestId('connection-banner').waitFor({ timeout: 60_000 })
        }
        const tag = `${pass}${offline ? '-offline' : ''}`
        await page.setViewportSize(size)
        await page.emulateMedia({ colorScheme: scheme })
        for (const name of screens) {
          await goByKeyboard(page, name)
          if (name === 'Chase list') await page.locator('[data-testid=chase-table], [data-testid=chase-problem], section.empty').first().waitFor({ timeout: 60_000 })
          await page.waitForTimeout(600)
          for (const p of await page.evaluate(measure)) problems.push(`${name} at ${size.width}×${size.height} ${tag} ${scheme}: ${p}`)
          // The keyboard's next stop inside the page, shown with its ring.
          await page.locator('main#content').focus()
          await page.keyboard.press('Tab')
          const ring = await page.evaluate(focusRing)
          if (ring) problems.push(`${name} at ${size.width}×${size.height} ${tag} ${scheme}: ${ring}`)
          await shot(page, `layout-${tag}-${size.width}x${size.height}-${scheme}-${slug(name)}`)
        }
      })
    }
  }

  test('nothing cut off, tabs on one line, focus always visible', () => {
    assert.deepEqual(problems, [])
  })

  test('no uncaught errors in the page', () => {
    const ours = app.errors.map((e) => e.stack ?? String(e)).filter((s) => !/\/wails\/ipc\.js:/.test(s.split('\n')[1] ?? ''))
    assert.deepEqual(ours, [])
  })
})

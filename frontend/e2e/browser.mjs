// Shared set-up for the end-to-end tests: Debian's Chromium driven by
// playwright-core (never a downloaded browser), a fresh profile per run, and a
// page on the Wails dev server, where the real Go bindings answer.
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { chromium } from 'playwright-core'

export const BASE_URL = process.env.E2E_URL ?? 'http://localhost:34115'
export const SHOTS = path.resolve(process.env.E2E_SHOTS ?? new URL('../../artifacts/e2e', import.meta.url).pathname)
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium'

const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

/** Opens a browser on the app; returns { page, close }. */
export async function openApp({ colorScheme = 'light' } = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), 'chase-e2e-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 800 },
    colorScheme,
    locale: 'en-GB',
  })
  const page = context.pages()[0] ?? (await context.newPage())
  const errors = []
  page.on('pageerror', (e) => errors.push(e))
  await page.goto(BASE_URL)
  // The runtime is injected by the dev server; wait until the bindings exist.
  await page.waitForFunction(() => !!window.go?.app?.StatusService, null, { timeout: 30_000 })
  return {
    page,
    errors,
    async close() {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    },
  }
}

export async function shot(page, name) {
  await mkdir(SHOTS, { recursive: true })
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) })
}

// The release bundle carries no test hooks: `npm run build` (make test runs it
// first) must leave nothing the browser tests use to drive the app, such as
// window.__chaseDropForTest, which exists only under import.meta.env.DEV.
// Run: node --test scripts/ (make test-frontend does).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readdir, readFile, stat } from 'node:fs/promises'
import path from 'node:path'

const dist = new URL('../dist/', import.meta.url).pathname
// Names of test hooks, and the pattern every future one should follow.
const forbidden = [/__chaseDropForTest/, /ForTest\b/, /__chase[A-Z]\w*/]

async function files(dir) {
  const out = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...(await files(p)))
    else if (/\.(js|mjs|html|css|map)$/.test(e.name)) out.push(p)
  }
  return out
}

test('the built assets hold no test hooks', async () => {
  const index = path.join(dist, 'index.html')
  await stat(index).catch(() => assert.fail(`no build in ${dist}: run npm run build first (make test does)`))
  const all = await files(dist)
  assert.ok(all.some((f) => f.endsWith('.js')), `no scripts under ${dist}`)
  // The bundle is this build's, not a stale one: it holds the app's code.
  const bodies = await Promise.all(all.map(async (f) => [f, await readFile(f, 'utf8')]))
  assert.ok(bodies.some(([, b]) => b.includes('data-drop-client-id')), 'the bundle lacks the drop layer: not a build of this app?')
  for (const [f, body] of bodies) {
    for (const re of forbidden) {
      const m = body.match(re)
      assert.equal(m, null, `${path.relative(dist, f)} contains ${m?.[0]}: a test hook in the release bundle`)
    }
  }
})

import { afterEach, describe, expect, it } from 'vitest'
import { dropTargetAt, dropTargetFrom, pointOfClient } from './dropTarget'

function page() {
  document.body.innerHTML = `
    <nav id="side"><button>Uploads</button></nav>
    <ul>
      <li data-drop-client-id="c-acme" data-drop-client-name="Acme Plumbing Ltd"><span id="acme-name">Acme</span><em id="deep"><b id="deeper">x</b></em></li>
      <li data-drop-client-id="c-zoe" data-drop-client-name="Zoë Müller"><span id="zoe-name">Zoë</span></li>
      <li data-drop-client-id="  " id="blank">no id</li>
    </ul>
    <section data-drop-client-id="c-page" data-drop-client-name="Page client"><div id="in-page"></div></section>`
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('drop target resolution', () => {
  it('walks up from the element under the drop to the nearest client', () => {
    page()
    expect(dropTargetFrom(document.getElementById('deeper'))).toEqual({ clientId: 'c-acme', clientName: 'Acme Plumbing Ltd' })
    expect(dropTargetFrom(document.getElementById('zoe-name'))).toEqual({ clientId: 'c-zoe', clientName: 'Zoë Müller' })
    expect(dropTargetFrom(document.getElementById('in-page'))?.clientId).toBe('c-page')
  })

  it('returns null outside any client, so the drop asks which client', () => {
    page()
    expect(dropTargetFrom(document.getElementById('side'))).toBeNull()
    expect(dropTargetFrom(null)).toBeNull()
    expect(dropTargetFrom(document.getElementById('blank'))).toBeNull()
  })

  it('resolves a window point through elementFromPoint', () => {
    page()
    const doc = { elementFromPoint: (x: number, y: number) => document.getElementById(x < 100 ? 'side' : y < 50 ? 'acme-name' : 'zoe-name') } as unknown as Document
    expect(dropTargetAt(10, 10, doc)).toBeNull()
    expect(dropTargetAt(300, 20, doc)?.clientId).toBe('c-acme')
    expect(dropTargetAt(300, 80, doc)?.clientName).toBe('Zoë Müller')
  })

  it('finds the point of a client on screen, case-insensitively, and none when hidden', () => {
    page()
    const zoe = document.querySelector('[data-drop-client-id="c-zoe"]')!
    zoe.getBoundingClientRect = () => ({ left: 240, top: 100, width: 600, height: 44, right: 840, bottom: 144, x: 240, y: 100, toJSON() {} })
    expect(pointOfClient('C-ZOE')).toEqual({ x: 540, y: 120 })
    expect(pointOfClient('c-acme')).toBeNull() // jsdom lays nothing out: a zero box is not on screen
    expect(pointOfClient('nobody')).toBeNull()
  })
})

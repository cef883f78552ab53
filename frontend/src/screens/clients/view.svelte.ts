// Where the Clients screen was left, kept across screen changes: the filters
// (also remembered across launches), the list's scroll and active row, and the
// open client.
const FILTERS_KEY = 'chase.clients.filters'

function loadFilters(): { customersOnly: boolean; includeArchived: boolean } {
  try {
    const v = JSON.parse(globalThis.localStorage?.getItem(FILTERS_KEY) ?? 'null')
    if (v && typeof v === 'object') return { customersOnly: !!v.customersOnly, includeArchived: !!v.includeArchived }
  } catch {
    // a damaged value: defaults
  }
  return { customersOnly: false, includeArchived: false }
}

export const view = $state({
  ...loadFilters(),
  scrollTop: 0,
  /** the last search shown (query, filters): coming back to it keeps the scroll */
  lastSearch: '',
  active: -1,
  /** the client page shown instead of the list; null for the list */
  openId: null as string | null,
  openName: '',
})

export function saveFilters(): void {
  try {
    globalThis.localStorage?.setItem(FILTERS_KEY, JSON.stringify({ customersOnly: view.customersOnly, includeArchived: view.includeArchived }))
  } catch {
    // private mode or full: the filters just are not remembered
  }
}

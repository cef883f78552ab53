// Words for times and sizes on the Clients screen and the top bar.
import { isSet } from '../../lib/authApi'

/** "just now", "5 minutes ago", "3 hours ago", "2 days ago", or a date; "" for an unset time. */
export function ago(iso: string | undefined, now = Date.now()): string {
  if (!isSet(iso)) return ''
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return ''
  const s = Math.max(0, Math.round((now - t) / 1000))
  if (s < 60) return 'just now'
  const m = Math.round(s / 60)
  if (m < 60) return m === 1 ? '1 minute ago' : `${m} minutes ago`
  const h = Math.round(m / 60)
  if (h < 24) return h === 1 ? '1 hour ago' : `${h} hours ago`
  const d = Math.round(h / 24)
  if (d < 7) return d === 1 ? 'yesterday' : `${d} days ago`
  return dateText(iso)
}

/** "in 25 minutes", "in 2 hours", or "expired". */
export function until(iso: string | undefined, now = Date.now()): string {
  if (!isSet(iso)) return ''
  const s = Math.round((Date.parse(iso) - now) / 1000)
  if (s <= 0) return 'expired'
  const m = Math.max(1, Math.round(s / 60))
  if (m < 60) return m === 1 ? 'in 1 minute' : `in ${m} minutes`
  const h = Math.round(m / 60)
  return h === 1 ? 'in 1 hour' : `in ${h} hours`
}

export function dateText(iso: string | undefined): string {
  if (!isSet(iso)) return ''
  return new Date(iso).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' })
}

export function dateTimeText(iso: string | undefined): string {
  if (!isSet(iso)) return ''
  return new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })
}

export function fileSize(n: number): string {
  if (!(n > 0)) return ''
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KB`
  return `${(n / (1024 * 1024)).toFixed(1)} MB`
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`
}

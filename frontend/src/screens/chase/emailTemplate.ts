// The chase email as an accountant edits it: plain text with named
// placeholders such as {client first name}, inserted from a menu and filled in
// for the preview and the copy. No template language on screen. The Go side
// stores exactly this text and fills it by the same rules (API-NOTES.md) for
// the exports. Pure, unit-tested.
import { fmtDate, type ChaseRow, type EmailTemplate } from '../../lib/chaseApi'

export interface Placeholder {
  id: 'firstName' | 'clientName' | 'practice' | 'jobs' | 'docs'
  /** the words between braces in the text */
  name: string
  /** what the menu says */
  label: string
}

export const placeholders: Placeholder[] = [
  { id: 'firstName', name: 'client first name', label: "Client's first name" },
  { id: 'clientName', name: 'client name', label: "Client's name" },
  { id: 'practice', name: 'practice name', label: 'Practice name' },
  { id: 'jobs', name: 'jobs', label: 'The jobs (one line each)' },
  { id: 'docs', name: 'documents needed', label: 'Documents still needed (one line each)' },
]

export const token = (p: Placeholder) => `{${p.name}}`

export const defaultTemplate: EmailTemplate = {
  subject: 'Documents needed for {client name}',
  body: `Hi {client first name},

We're waiting on some information from you before we can finish:
{jobs}

Could you send us:
{documents needed}

You can reply to this email with them attached.

Thank you,
{practice name}
`,
}

/** Puts text in place of the selection [start, end) of value; returns the new value and where the caret goes. */
export function insertAt(value: string, start: number, end: number, text: string): { value: string; caret: number } {
  const a = Math.max(0, Math.min(start, value.length))
  const b = Math.max(a, Math.min(end, value.length))
  return { value: value.slice(0, a) + text + value.slice(b), caret: a + text.length }
}

/** What the placeholders stand for, for one client. */
export interface EmailData {
  to: string
  firstName: string
  clientName: string
  practice: string
  jobs: { id?: string; name: string; due: string; docsNeeded: string[] }[]
}

/** The data of one client's email from the chase list rows (all of that client's jobs). */
export function emailData(rows: ChaseRow[], clientKey: string, practice: string): EmailData {
  const mine = rows.filter((r) => r.clientKey === clientKey)
  const first = mine[0]
  const person = (first?.person ?? '').trim()
  return {
    to: mine.find((r) => r.email)?.email ?? '',
    firstName: person ? person.split(/\s+/)[0] : 'there',
    clientName: first?.clientName ?? '',
    practice,
    jobs: mine
      .filter((r) => r.jobId || r.jobName)
      .map((r) => ({ id: r.jobId, name: r.jobName || r.jobId || '', due: fmtDate(r.dueDate), docsNeeded: r.docsNeeded ?? [] })),
  }
}

function lines(id: Placeholder['id'], d: EmailData): string {
  switch (id) {
    case 'firstName': return d.firstName
    case 'clientName': return d.clientName
    case 'practice': return d.practice
    case 'jobs':
      return d.jobs.length ? d.jobs.map((j) => `- ${j.name}${j.due ? ` (due ${j.due})` : ''}`).join('\n') : '- your records'
    case 'docs': {
      const out: string[] = []
      const seen = new Set<string>()
      for (const j of d.jobs) {
        const docs = j.docsNeeded.map((x) => x.trim()).filter(Boolean)
        if (!docs.length) docs.push(`the records for ${j.name}`)
        for (const doc of docs) {
          const k = doc.toLowerCase()
          if (!seen.has(k)) { seen.add(k); out.push(`- ${doc}`) }
        }
      }
      return out.length ? out.join('\n') : '- your records'
    }
  }
}

const known = (name: string) => placeholders.find((p) => p.name === name.trim().toLowerCase())
const PH = /\{([^{}\n]+)\}/g

/** Fills every {placeholder} the menu knows (any case); anything else in braces stays as typed, so a typo shows in the preview. */
export function fill(text: string, d: EmailData): string {
  return text.replace(PH, (all, name: string) => {
    const p = known(name)
    return p ? lines(p.id, d) : all
  })
}

export function render(t: EmailTemplate, d: EmailData): { to: string; subject: string; body: string } {
  return { to: d.to, subject: fill(t.subject, d).replace(/\s*\n\s*/g, ' ').trim(), body: fill(t.body, d) }
}

/** Placeholders in text the menu does not know (a typo), for a gentle warning. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(PH)].map((m) => m[1].trim()).filter((n) => !known(n))
}

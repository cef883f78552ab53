// The chase email as an accountant edits it: plain text with named
// placeholders such as «First name», inserted from a menu and filled in for
// the preview and the copy. No template language on screen. Pure, unit-tested.
import { fmtDate, type ChaseRow, type EmailTemplate } from '../../lib/chaseApi'

export interface Placeholder {
  id: 'firstName' | 'clientName' | 'practice' | 'jobs' | 'docs'
  /** what the menu and the text show, between « and » */
  label: string
  /** what it stands for, in the menu */
  hint: string
}

export const placeholders: Placeholder[] = [
  { id: 'firstName', label: 'First name', hint: "the client's first name" },
  { id: 'clientName', label: 'Client name', hint: "the client's name" },
  { id: 'practice', label: 'Practice name', hint: 'your practice' },
  { id: 'jobs', label: 'Jobs', hint: 'one line per job waiting on the client' },
  { id: 'docs', label: 'Documents needed', hint: 'one line per document still needed' },
]

export const token = (p: Placeholder) => `«${p.label}»`

export const defaultTemplate: EmailTemplate = {
  subject: 'Documents needed for «Client name»',
  body: `Hi «First name»,

We're waiting on some information from you before we can finish:
«Jobs»

Could you send us:
«Documents needed»

You can reply to this email with them attached.

Thank you,
«Practice name»
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

/** Fills every «placeholder» the menu knows; anything else between « » stays as typed, so a typo shows in the preview. */
export function fill(text: string, d: EmailData): string {
  return text.replace(/«([^«»\n]+)»/g, (all, label: string) => {
    const p = placeholders.find((x) => x.label.toLowerCase() === label.trim().toLowerCase())
    return p ? lines(p.id, d) : all
  })
}

export function render(t: EmailTemplate, d: EmailData): { to: string; subject: string; body: string } {
  return { to: d.to, subject: fill(t.subject, d).replace(/\s*\n\s*/g, ' ').trim(), body: fill(t.body, d) }
}

/** Placeholders in text the menu does not know (a typo), for a gentle warning. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(/«([^«»\n]+)»/g)]
    .map((m) => m[1].trim())
    .filter((l) => !placeholders.some((p) => p.label.toLowerCase() === l.toLowerCase()))
}

/**
 * A template saved by an older chase.md, in Go's template language, as plain
 * text with placeholders; null when it holds something this cannot say in
 * words (the caller then starts from the default).
 */
export function fromGoTemplate(src: string): EmailTemplate | null {
  let t = src.replace(/\r\n/g, '\n')
  let subject = defaultTemplate.subject
  const m = /^subject:[ \t]*(.*)\n?/i.exec(t)
  if (m) {
    subject = m[1]
    t = t.slice(m[0].length)
  }
  const conv = (x: string) =>
    x
      .replace(/\{\{-?\s*\.FirstName\s*-?\}\}/g, '«First name»')
      .replace(/\{\{-?\s*\.(ClientName|ContactName)\s*-?\}\}/g, '«Client name»')
      .replace(/\{\{-?\s*\.Practice\s*-?\}\}/g, '«Practice name»')
      .replace(/\{\{if eq \(len \.Jobs\) 1\}\}(\w+)\{\{else\}\}(\w+)\{\{end\}\}/g, '$2')
      .replace(/\n?\{\{range \.Jobs\}\}[\s\S]*?\{\{end\}\}(\{\{end\}\})?/g, '\n«Jobs»')
  subject = conv(subject)
  const body = conv(t)
  if (subject.includes('{{') || body.includes('{{')) return null
  return { subject, body }
}

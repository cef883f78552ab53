package remind

import (
	"html"
	"strings"

	"chase.md/backend/chase"
)

// ticks are the ticked documents: job ID → lower-cased document → ticked.
type ticks map[string]map[string]bool

func docKey(d string) string { return strings.ToLower(strings.Join(strings.Fields(d), " ")) }

// outstandingRows is rows with each job's documents narrowed to those not
// ticked; jobs whose every document is ticked are left out. hasList says
// whether any of the client's jobs has a checklist at all.
func outstandingRows(rows []chase.Row, tk ticks) (out []chase.Row, hasList bool) {
	for _, r := range rows {
		if len(r.DocsNeeded) == 0 {
			out = append(out, r)
			continue
		}
		hasList = true
		done := tk[strings.ToUpper(r.JobID)]
		var left []string
		for _, d := range r.DocsNeeded {
			if !done[docKey(d)] {
				left = append(left, d)
			}
		}
		if len(left) == 0 {
			continue
		}
		r.DocsNeeded = left
		out = append(out, r)
	}
	return out, hasList
}

// outstandingList is what the email's {documents needed} lists, one per line.
func outstandingList(rows []chase.Row) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if k := docKey(s); !seen[k] {
			seen[k] = true
			out = append(out, s)
		}
	}
	for _, r := range rows {
		if len(r.DocsNeeded) == 0 {
			if r.JobID == "" {
				add("your records")
			} else {
				add("the records for " + firstNonEmpty(r.JobName, r.JobID))
			}
			continue
		}
		for _, d := range r.DocsNeeded {
			add(d)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// render fills the plan's wording of step for the client's outstanding rows.
func render(p Plan, step int, rows []chase.Row, practice string) (chase.Email, error) {
	st := p.step(step)
	return chase.RenderEmail(chase.Template{Subject: st.Subject, Body: st.Body}, rows, practice)
}

// htmlOf is the HTML alternative of a plain-text email: paragraphs, and runs
// of "- " lines as a bulleted list.
func htmlOf(text string) string {
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html><html><body style="font-family: sans-serif; font-size: 14px; line-height: 1.5">` + "\n")
	inList := false
	para := []string{}
	flush := func() {
		if len(para) > 0 {
			b.WriteString("<p>" + strings.Join(para, "<br>\n") + "</p>\n")
			para = para[:0]
		}
	}
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if item, ok := strings.CutPrefix(t, "- "); ok {
			flush()
			if !inList {
				b.WriteString("<ul>\n")
				inList = true
			}
			b.WriteString("<li>" + html.EscapeString(item) + "</li>\n")
			continue
		}
		if inList {
			b.WriteString("</ul>\n")
			inList = false
		}
		if t == "" {
			flush()
			continue
		}
		para = append(para, html.EscapeString(t))
	}
	if inList {
		b.WriteString("</ul>\n")
	}
	flush()
	b.WriteString("</body></html>")
	return b.String()
}

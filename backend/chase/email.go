package chase

import (
	"context"
	"fmt"
	"regexp"
	"strings"
)

// The chase email is plain text with named placeholders in braces, exactly
// as the practice sees and edits it: no template language is stored or
// shown. An unknown {…} stays as typed.
const (
	PhFirstName = "{client first name}"
	PhClient    = "{client name}"
	PhPractice  = "{practice name}"
	PhJobs      = "{jobs}"
	PhDocs      = "{documents needed}"
)

// Placeholder is one entry of the editor's "Insert" menu.
type Placeholder struct {
	Key   string `json:"key"`   // what goes in the text: "{client first name}"
	Label string `json:"label"` // what the menu says
}

// Placeholders lists the placeholders a template may use.
func Placeholders() []Placeholder {
	return []Placeholder{
		{PhFirstName, "Client's first name"},
		{PhClient, "Client's name"},
		{PhPractice, "Practice name"},
		{PhJobs, "The jobs waiting"},
		{PhDocs, "The documents still needed"},
	}
}

// Template is a chase email template.
type Template struct {
	Subject string `json:"subject"`
	Body    string `json:"body"`
}

// DefaultTemplate is the chase email a practice starts from.
var DefaultTemplate = Template{
	Subject: "Documents needed for {client name}",
	Body: `Hi {client first name},

We're waiting on some information from you before we can finish this work:
{jobs}

Could you send us:
{documents needed}

You can reply to this email with them attached.

Thank you,
{practice name}
`,
}

// Templates are the practice's templates: the default and one per job state
// (by the state's name) where the practice wrote one.
type Templates struct {
	Default Template            `json:"default"`
	ByState map[string]Template `json:"byState"`
}

// EmailTemplates reads the saved templates (the built-in default where none).
func (s *Service) EmailTemplates(ctx context.Context) (Templates, error) {
	out := Templates{Default: DefaultTemplate, ByState: map[string]Template{}}
	rows, err := s.db.SQL().QueryContext(ctx, `SELECT t.state_key, COALESCE(st.name, t.state_key), t.subject, t.body
		FROM chase_email_templates t LEFT JOIN xpm_states st ON st.tenant_id = ? AND st.name_key = t.state_key`, s.tenant)
	if err != nil {
		return out, fmt.Errorf("chase: email templates: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, name string
		var t Template
		if err := rows.Scan(&key, &name, &t.Subject, &t.Body); err != nil {
			return out, fmt.Errorf("chase: email templates: %w", err)
		}
		if key == "" {
			out.Default = t
		} else {
			out.ByState[name] = t
		}
	}
	return out, rows.Err()
}

// SaveEmailTemplate stores the template for state (its name; "" = the
// default). An empty template removes a state's own (the default serves it)
// or brings back the built-in default.
func (s *Service) SaveEmailTemplate(ctx context.Context, state string, t Template) error {
	key := stateKey(state)
	t.Subject = strings.TrimSpace(t.Subject)
	var err error
	if t.Subject == "" && strings.TrimSpace(t.Body) == "" {
		_, err = s.db.SQL().ExecContext(ctx, `DELETE FROM chase_email_templates WHERE state_key = ?`, key)
	} else {
		_, err = s.db.SQL().ExecContext(ctx, `INSERT INTO chase_email_templates (state_key, subject, body) VALUES (?, ?, ?)
			ON CONFLICT (state_key) DO UPDATE SET subject = excluded.subject, body = excluded.body`, key, t.Subject, t.Body)
	}
	if err != nil {
		return fmt.Errorf("chase: save email template %q: %w", state, err)
	}
	return nil
}

// For is the template for a client whose first job is in state.
func (ts Templates) For(state string) Template {
	for name, t := range ts.ByState {
		if stateKey(name) == stateKey(state) {
			return t
		}
	}
	return ts.Default
}

// Email is a rendered chase email.
type Email struct {
	ClientKey string `json:"clientKey"`
	To        string `json:"to"`
	Subject   string `json:"subject"`
	Body      string `json:"body"`
	State     string `json:"state"` // the state whose template it used ("" = none)
}

// ClientRows picks a client's rows out of a list (in the list's order).
func ClientRows(rows []Row, clientKey string) []Row {
	key := strings.TrimSpace(clientKey)
	var out []Row
	for _, r := range rows {
		if strings.EqualFold(r.ClientKey, key) {
			out = append(out, r)
		}
	}
	return out
}

// RenderEmail fills t for the client whose rows (ClientRows) are given.
func RenderEmail(t Template, rows []Row, practice string) (Email, error) {
	if len(rows) == 0 {
		return Email{}, fmt.Errorf("chase: email: the client is not on the chase list")
	}
	first := rows[0]
	vals := map[string]string{
		PhFirstName: strings.Fields(first.Person + " there")[0],
		PhClient:    first.ClientName,
		PhPractice:  strings.TrimSpace(practice),
		PhJobs:      jobLines(rows),
		PhDocs:      docLines(rows),
	}
	out := Email{ClientKey: first.ClientKey, To: first.Email, State: first.State}
	for _, r := range rows {
		if out.To == "" {
			out.To = r.Email
		}
	}
	out.Subject = strings.Join(strings.Fields(fill(t.Subject, vals)), " ")
	out.Body = fill(t.Body, vals)
	return out, nil
}

var placeholderRE = regexp.MustCompile(`\{[^{}\n]{1,40}\}`)

func fill(text string, vals map[string]string) string {
	return placeholderRE.ReplaceAllStringFunc(text, func(ph string) string {
		if v, ok := vals[strings.ToLower(strings.Join(strings.Fields(ph), " "))]; ok {
			return v
		}
		return ph
	})
}

func jobLines(rows []Row) string {
	var b []string
	for _, r := range rows {
		if r.JobID == "" {
			continue
		}
		line := "- " + firstNonEmpty(r.JobName, r.JobID)
		if !r.DueDate.IsZero() {
			line += " (due " + fmtDate(r.DueDate) + ")"
		}
		b = append(b, line)
	}
	if len(b) == 0 {
		return "- your records"
	}
	return strings.Join(b, "\n")
}

func docLines(rows []Row) string {
	var b []string
	seen := map[string]bool{}
	for _, r := range rows {
		if len(r.DocsNeeded) == 0 {
			what := "your records"
			if r.JobID != "" {
				what = "the records for " + firstNonEmpty(r.JobName, r.JobID)
			}
			if !seen[what] {
				seen[what] = true
				b = append(b, "- "+what)
			}
			continue
		}
		for _, d := range r.DocsNeeded {
			if k := strings.ToLower(d); !seen[k] {
				seen[k] = true
				b = append(b, "- "+d)
			}
		}
	}
	return strings.Join(b, "\n")
}

// ChaseEmail renders the chase email for a client (a Row's ClientKey) from
// the saved template for its first job's state, signed by practice.
func (s *Service) ChaseEmail(ctx context.Context, clientKey, practice string) (Email, error) {
	rows, err := s.List(ctx, Query{Sort: SortDue})
	if err != nil {
		return Email{}, err
	}
	ts, err := s.EmailTemplates(ctx)
	if err != nil {
		return Email{}, err
	}
	mine := ClientRows(rows, clientKey)
	if len(mine) == 0 {
		return Email{}, fmt.Errorf("chase: email: client %s is not on the chase list", clientKey)
	}
	return RenderEmail(ts.For(mine[0].State), mine, practice)
}

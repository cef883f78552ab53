package chase

import (
	"bufio"
	"chase.md/backend/csvout"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 Jan 2006")
}

// mdCell keeps a value inside its Markdown table cell.
func mdCell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	s = strings.ReplaceAll(s, `\`, `\\`)
	return strings.ReplaceAll(s, "|", `\|`)
}

// ExportMarkdown writes the chase list as chase.md: a title with the date,
// then one table per state, in the order of the practice's workflow.
func (s *Service) ExportMarkdown(ctx context.Context, w io.Writer) error {
	rows, err := s.List(ctx, Query{Sort: SortNudge})
	if err != nil {
		return err
	}
	return s.WriteMarkdown(ctx, w, rows)
}

// WriteMarkdown writes rows (a List or a selection of it, in the order to
// keep within each state) as chase.md.
func (s *Service) WriteMarkdown(ctx context.Context, w io.Writer, rows []Row) error {
	states, err := s.States(ctx)
	if err != nil {
		return err
	}
	order := map[string]int{}
	for i, st := range states {
		order[strings.ToLower(st.Name)] = i
	}
	groups := map[string][]Row{}
	var names []string
	for _, r := range rows {
		if _, ok := groups[r.State]; !ok {
			names = append(names, r.State)
		}
		groups[r.State] = append(groups[r.State], r)
	}
	rank := func(n string) int {
		if i, ok := order[strings.ToLower(n)]; ok {
			return i
		}
		return len(order) // hand-marked clients last
	}
	sortStrings(names, func(a, b string) bool { return rank(a) < rank(b) || rank(a) == rank(b) && a < b })

	bw := bufio.NewWriter(w)
	now := s.now()
	fmt.Fprintf(bw, "# Chase list — %s\n\n", now.Format("Monday 2 January 2006"))
	clients := map[string]bool{}
	for _, r := range rows {
		clients[r.ClientKey] = true
	}
	switch len(rows) {
	case 0:
		fmt.Fprintf(bw, "Nobody to chase today.\n")
	default:
		fmt.Fprintf(bw, "%d %s waiting on %d %s.\n", len(rows), plural(len(rows), "item", "items"), len(clients), plural(len(clients), "client", "clients"))
	}
	for _, n := range names {
		g := groups[n]
		fmt.Fprintf(bw, "\n## %s (%d)\n\n", mdCell(n), len(g))
		fmt.Fprintln(bw, "| Client | Job | Due | Waiting | Documents needed | Email | Phone | Documents since | Last chased |")
		fmt.Fprintln(bw, "|---|---|---|---|---|---|---|--:|---|")
		for _, r := range g {
			job := r.JobID
			if r.JobName != "" {
				job = strings.TrimSpace(r.JobID + " " + r.JobName)
			}
			chased := fmtDate(r.LastChased)
			if chased == "" {
				chased = "never"
			}
			due := fmtDate(r.DueDate)
			if r.OverdueDays > 0 {
				due += " (" + r.DueLabel + ")"
			}
			fmt.Fprintf(bw, "| %s | %s | %s | %s | %s | %s | %s | %d | %s |\n", mdCell(r.ClientName), mdCell(job), due,
				mdCell(r.AgeLabel), mdCell(strings.Join(r.DocsNeeded, "; ")), mdCell(r.Email), mdCell(r.Phone), r.DocsSince, chased)
		}
	}
	return bw.Flush()
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func sortStrings(ss []string, less func(a, b string) bool) {
	for i := 1; i < len(ss); i++ {
		for j := i; j > 0 && less(ss[j], ss[j-1]); j-- {
			ss[j], ss[j-1] = ss[j-1], ss[j]
		}
	}
}

// ExportCSV writes the chase list as CSV with a header row; dates are ISO.
func (s *Service) ExportCSV(ctx context.Context, w io.Writer) error {
	rows, err := s.List(ctx, Query{Sort: SortClient})
	if err != nil {
		return err
	}
	return WriteCSV(w, rows)
}

// WriteCSV writes rows as CSV with a header row, the figures the screen
// shows: days waiting and what they count from, days overdue.
func WriteCSV(w io.Writer, rows []Row) error {
	cw := csvout.New(w)
	_ = cw.Write("Client", "Contact", "Job", "Job name", "State", "Start date", "Due date", "Waiting since", "Days waiting",
		"Waiting counted from", "Waiting", "Days overdue", "Due", "Documents needed", "Email", "Phone", "Documents since", "Last chased", "Source")
	iso := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	for _, r := range rows {
		_ = cw.Write(r.ClientName, r.ContactName, r.JobID, r.JobName, r.State, iso(r.StartDate), iso(r.DueDate),
			iso(r.WaitingSince), strconv.Itoa(r.AgeDays), basisWords[r.AgeBasis], r.AgeLabel, strconv.Itoa(r.OverdueDays), r.DueLabel,
			strings.Join(r.DocsNeeded, "; "), r.Email, r.Phone, strconv.Itoa(r.DocsSince), iso(r.LastChased), r.Source)
	}
	if err := cw.Close(); err != nil {
		return fmt.Errorf("chase: export csv: %w", err)
	}
	return nil
}

// basisWords says in the exports what a row's days waiting count from.
var basisWords = map[string]string{BasisWaiting: "entered the state", BasisStart: "job start date",
	BasisSeen: "first seen waiting", BasisMarked: "marked for chase"}

package chase

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"chase.md/backend/rest"
	"chase.md/backend/xero"
	"chase.md/backend/xero/api"
)

// linkedRow is the first row of the chase list with a linked contact.
func linkedRow(e *env) Row {
	e.t.Helper()
	rows, err := e.svc.List(e.ctx, Query{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rows {
		if r.ContactID != "" {
			return r
		}
	}
	e.t.Fatal("no row of the chase list has a linked contact")
	return Row{}
}

// docsOf is the chase list's DocsSince for the job.
func docsOf(e *env, jobID string) int {
	e.t.Helper()
	rows, err := e.svc.List(e.ctx, Query{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range rows {
		if r.JobID == jobID {
			return r.DocsSince
		}
	}
	e.t.Fatalf("job %s is not on the chase list", jobID)
	return 0
}

// upload records a file in backend/upload's history, as chase.md's own
// upload of it would have.
func (e *env) upload(contactID, fileID string, at time.Time, outcome string) {
	e.t.Helper()
	if _, err := e.db.SQL().ExecContext(e.ctx, `INSERT INTO upload_history (at, item_id, os_user, path, name, size, sha256, tenant_id, contact_id, contact_name, folder, file_id, outcome, detail, search)
		VALUES (?, 0, 'u', 'p', 'n', 1, 'h', ?, ?, 'c', '', ?, ?, '', '')`, at.UnixMilli(), e.org, contactID, fileID, outcome); err != nil {
		e.t.Fatal(err)
	}
}

// associate files a document with the contact in Xero itself, the way a
// person in Xero (or another app) would: not through chase.md's queue.
func (e *env) associate(contactID, name string) string {
	e.t.Helper()
	body := []byte("scan of " + name)
	f, err := e.x.UploadFile(e.ctx, xero.UploadRequest{Name: name, Body: bytes.NewReader(body), Size: int64(len(body))})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.x.Associate(e.ctx, f.ID, xero.AssociationRequest{ObjectID: contactID}, ""); err != nil {
		e.t.Fatal(err)
	}
	return f.ID
}

// assocCalls is how many times Xero was asked for a contact's files.
func (e *env) assocCalls() int { return e.sb.CountRequests("GET", "/files.xro/1.0/Associations/") }

// A file associated with the contact in Xero after the job entered its chase
// state counts as received; one associated before does not. The list, the
// CSV and Markdown exports and the chase email all count it.
func TestXeroFilesAfterTheChaseBeganCount(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	// The jobs enter their states five minutes into the sandbox's future.
	began := e.sb.Now().Add(5 * time.Minute)
	e.clk.Set(began)
	e.sync()
	r := linkedRow(e)
	if !r.WaitingSince.Equal(began.Truncate(time.Millisecond)) {
		t.Fatalf("waiting since %v, want %v", r.WaitingSince, began)
	}
	before := e.associate(r.ContactID, "bank-statement-september.pdf")
	e.sb.Advance(10 * time.Minute) // past the start of the chase, well within the token's life
	after := e.associate(r.ContactID, "bank-statement-october.pdf")

	if got := docsOf(e, r.JobID); got != 0 {
		t.Fatalf("docs since = %d before Xero was asked, want 0", got)
	}
	res, err := e.svc.RefreshXeroFiles(e.ctx, e.x, []string{r.ContactID}, Refresh{MaxAge: time.Hour, Limit: 5})
	if err != nil || res.Asked != 1 {
		t.Fatalf("refresh: %+v, %v; want one contact asked", res, err)
	}
	if got := docsOf(e, r.JobID); got != 1 {
		t.Fatalf("docs since = %d with %s associated before the chase and %s after, want 1", got, before, after)
	}
	// chase.md's own upload of the same file is the same document.
	e.upload(r.ContactID, after, e.sb.Now(), "done")
	if got := docsOf(e, r.JobID); got != 1 {
		t.Fatalf("docs since = %d once chase.md's history has the file too, want 1", got)
	}

	var buf bytes.Buffer
	if err := e.svc.ExportCSV(e.ctx, &buf); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(buf.Bytes(), []byte("\uFEFF")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, h := range recs[0] {
		if h == "Documents since" {
			col = i
		}
	}
	found := false
	for _, rec := range recs[1:] {
		if rec[2] == r.JobID {
			found = true
			if rec[col] != "1" {
				t.Fatalf("CSV documents since = %q, want 1", rec[col])
			}
		}
	}
	if !found {
		t.Fatalf("CSV lacks job %s", r.JobID)
	}
	buf.Reset()
	if err := e.svc.ExportMarkdown(e.ctx, &buf); err != nil {
		t.Fatal(err)
	}
	found = false
	for _, line := range strings.Split(buf.String(), "\n") {
		if strings.Contains(line, "| "+r.JobID+" ") {
			found = true
			if !strings.HasSuffix(line, " | 1 | never |") {
				t.Fatalf("Markdown row for %s does not count one document: %s", r.JobID, line)
			}
		}
	}
	if !found {
		t.Fatalf("Markdown lacks job %s:\n%s", r.JobID, buf.String())
	}
	rows, err := e.svc.List(e.ctx, Query{})
	if mine := ClientRows(rows, r.ClientKey); err != nil || len(mine) == 0 || mine[0].DocsSince != 1 {
		t.Fatalf("list rows of %s: %+v, %v; want one document since", r.ClientKey, mine, err)
	}
}

// The refresh is bounded: at most Limit contacts a round, never-listed
// first, and a contact is not asked again until MaxAge has passed.
func TestRefreshXeroFilesIsBounded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.sync()
	seen := map[string]bool{}
	var ids []string
	rows, _ := e.svc.List(e.ctx, Query{})
	for _, r := range rows {
		if r.ContactID != "" && !seen[r.ContactID] && len(ids) < 3 {
			seen[r.ContactID] = true
			ids = append(ids, r.ContactID)
		}
	}
	if len(ids) < 3 {
		t.Fatalf("only %d linked contacts on the chase list", len(ids))
	}
	// The client page listed the third contact's files a moment ago.
	if err := e.svc.RecordXeroFiles(e.ctx, ids[2], nil); err != nil {
		t.Fatal(err)
	}
	round := func(wantAsked, wantDue int) {
		t.Helper()
		n := e.assocCalls()
		res, err := e.svc.RefreshXeroFiles(e.ctx, e.x, append(ids, ids[0]), Refresh{MaxAge: 4 * time.Hour, Limit: 1})
		if err != nil || res.Asked != wantAsked || res.Due != wantDue || e.assocCalls()-n != wantAsked {
			t.Fatalf("round: %+v, %v, %d calls; want %d asked, %d due", res, err, e.assocCalls()-n, wantAsked, wantDue)
		}
	}
	round(1, 1) // first or second (never listed), one a round
	round(1, 0) // the other
	round(0, 0) // all fresh: Xero is not asked
	e.clk.Add(3 * time.Hour)
	round(0, 0)
	e.clk.Add(2 * time.Hour) // five hours on: all three are due, the stalest first
	round(1, 2)
	round(1, 1)
	round(1, 0)
	// A contact Xero has nothing for is listed like any other.
	e.clk.Add(5 * time.Hour)
	n := e.assocCalls()
	res, err := e.svc.RefreshXeroFiles(e.ctx, e.x, []string{"00000000-0000-4000-8000-000000000000", ids[0]}, Refresh{MaxAge: 4 * time.Hour, Limit: 5})
	if err != nil || res.Asked != 2 || res.Due != 0 || e.assocCalls()-n != 2 {
		t.Fatalf("with an unknown contact: %+v, %v after %d calls; want both asked", res, err, e.assocCalls()-n)
	}
}

// fileLister is a FileLister double.
type fileLister struct {
	associationsFor func(ctx context.Context, objectID string) ([]api.Association, error)
}

func (f fileLister) AssociationsFor(ctx context.Context, objectID string) ([]api.Association, error) {
	return f.associationsFor(ctx, objectID)
}

// A contact Xero refuses to list (404, 400) is passed over until MaxAge;
// any other failure (Xero unreachable, the day's budget kept for uploads)
// ends the round and leaves the contact due.
func TestRefreshXeroFilesFailures(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{contacts: 40})
	fail := map[string]error{
		"a": &rest.APIError{Status: http.StatusNotFound},
		"c": fmt.Errorf("xero: associations of c page 1: %w", rest.ErrDailyBudgetReserved),
	}
	var asked []string
	x := fileLister{associationsFor: func(_ context.Context, id string) ([]api.Association, error) {
		asked = append(asked, id)
		return nil, fail[id]
	}}
	r := Refresh{MaxAge: time.Hour, Limit: 10}
	res, err := e.svc.RefreshXeroFiles(e.ctx, x, []string{"a", "b", "c", "d"}, r)
	if !errors.Is(err, rest.ErrDailyBudgetReserved) || res.Asked != 2 || res.Due != 2 || strings.Join(asked, "") != "abc" {
		t.Fatalf("round: %+v, %v, asked %v; want a (not found) and b done, stopped at c with d left", res, err, asked)
	}
	delete(fail, "c")
	asked = nil
	if res, err := e.svc.RefreshXeroFiles(e.ctx, x, []string{"a", "b", "c", "d"}, r); err != nil || res.Asked != 2 || strings.Join(asked, "") != "cd" {
		t.Fatalf("next round: %+v, %v, asked %v; want c and d only", res, err, asked)
	}
}

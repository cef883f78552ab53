package xpm

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// The documented examples from Xero's XPM pages, verbatim.
func example(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "xero", "xpm-examples", name))
	if err != nil {
		t.Fatalf("read example: %v", err)
	}
	return b
}

func TestDecodeDocumentedJobs(t *testing.T) {
	var r jobsResponse
	if err := decode(example(t, "job.api-current.xml"), "text/xml", &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Jobs) != 2 {
		t.Fatalf("jobs = %d, want 2", len(r.Jobs))
	}
	j := r.Jobs[0]
	if j.ID != "J000159" || j.State != "Planned" || j.Client.UUID != "ffefa0e3-d454-4a1b-8811-b07df638f95e" || j.Client.Name != "A C Smith Limited" {
		t.Fatalf("job 0 = %+v", j)
	}
	if want := time.Date(2007, 9, 22, 0, 0, 0, 0, time.UTC); !j.DueDate.Equal(want) {
		t.Fatalf("due = %v, want %v", j.DueDate, want)
	}
	if !r.Jobs[1].CompletedDate.IsZero() {
		t.Fatal("absent CompletedDate must stay zero")
	}
}

func TestDecodeDocumentedJobGet(t *testing.T) {
	var r jobResponse
	if err := decode(example(t, "job.api-get.xml"), "text/xml; charset=utf-8", &r); err != nil {
		t.Fatal(err)
	}
	if r.Job.ID != "J000309" || r.Job.UUID != "0d3458b8-6fde-4389-8dbb-0a85804466ad" || r.Job.Budget != 55 || r.Job.Type != "Website Development" {
		t.Fatalf("job = %+v", r.Job)
	}
}

func TestDecodeDocumentedClients(t *testing.T) {
	var r clientsResponse
	if err := decode(example(t, "client.api-list.xml"), "text/xml", &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Clients) != 2 {
		t.Fatalf("clients = %d", len(r.Clients))
	}
	c := r.Clients[0]
	if c.Name != "XYZ Australia, NZ Business Unit" || c.Email != "someone@example.com" || bool(c.IsArchived) || len(c.Contacts) != 1 || !bool(c.Contacts[0].IsPrimary) {
		t.Fatalf("client = %+v", c)
	}
}

func TestDecodePaginationFragment(t *testing.T) {
	body := "<Response><Status>OK</Status><Clients/>" + string(example(t, "client.api-paged-list.pagination-fragment.xml")) + "</Response>"
	var r clientsResponse
	if err := decode([]byte(body), "text/xml", &r); err != nil {
		t.Fatal(err)
	}
	if want := "https://api.xero.com/practicemanager/3.1/client.api/paged-list?pageToken=bGlnaHQgd29y&pageSize=10"; r.Pagination.Links.Next != want {
		t.Fatalf("next = %q", r.Pagination.Links.Next)
	}
}

func TestDecodeErrorEnvelopeWith200(t *testing.T) {
	err := decode(example(t, "error-envelope.xml"), "text/xml", &jobsResponse{})
	var xe *Error
	if !errors.As(err, &xe) || xe.Description != "A detailed explanation of the error" {
		t.Fatalf("err = %v, want *Error with the description", err)
	}
}

func TestDecodeJSON(t *testing.T) {
	body := `{"status":"OK","jobs":[{"id":"J1","state":"Waiting on Client","dueDate":"2026-01-31T00:00:00","client":{"uuid":"u1","name":"Acme"}}]}`
	var r jobsResponse
	if err := decode([]byte(body), "application/json", &r); err != nil {
		t.Fatal(err)
	}
	if len(r.Jobs) != 1 || r.Jobs[0].Client.UUID != "u1" || r.Jobs[0].DueDate.Month() != time.January {
		t.Fatalf("jobs = %+v", r.Jobs)
	}
	err := decode([]byte(`{"status":"ERROR","errorDescription":"Invalid date range"}`), "application/json", &r)
	var xe *Error
	if !errors.As(err, &xe) || xe.Description != "Invalid date range" {
		t.Fatalf("json error: %v", err)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	for name, body := range map[string]string{
		"empty":     "",
		"truncated": "<Response><Status>OK</Status><Jobs><Job><ID>J1",
		"html":      "<html><body>Bad gateway</body></html>",
		"no status": "<Response><Jobs/></Response>",
		"bad bool":  "<Response><Status>OK</Status><Clients><Client><IsArchived>Maybe</IsArchived></Client></Clients></Response>",
	} {
		t.Run(name, func(t *testing.T) {
			err := decode([]byte(body), "text/xml", &clientsResponse{})
			if err == nil {
				t.Fatal("want an error")
			}
			var xe *Error
			if errors.As(err, &xe) {
				t.Fatalf("malformed body reported as an XPM error envelope: %v", err)
			}
		})
	}
}

func TestDecodeJobStates(t *testing.T) {
	xmlBody := `<Response><Status>OK</Status><JobStates><JobState><UUID>a1</UUID><Name>Waiting on Client Records</Name></JobState>` +
		`<JobState><UUID>a2</UUID><Name>In Progress</Name><Unknown>x</Unknown></JobState></JobStates></Response>`
	var r jobStatesResponse
	if err := decode([]byte(xmlBody), "text/xml", &r); err != nil || len(r.States) != 2 || r.States[0].Name != "Waiting on Client Records" || r.States[1].UUID != "a2" {
		t.Fatalf("xml states %+v, %v", r.States, err)
	}
	var j jobStatesResponse
	if err := decode([]byte(`{"status":"OK","jobStates":[{"uuid":"b1","name":"Planned"}]}`), "application/json", &j); err != nil || len(j.States) != 1 || j.States[0].Name != "Planned" {
		t.Fatalf("json states %+v, %v", j.States, err)
	}
	if got := StatesOf([]Job{{State: "B"}, {State: "a"}, {State: " b "}, {State: ""}}); len(got) != 2 || got[0].Name != "a" || got[1].Name != "B" {
		t.Fatalf("StatesOf = %+v", got)
	}
}

func TestFloatSpellings(t *testing.T) {
	for in, want := range map[string]float64{`55.00`: 55, `"12.5"`: 12.5, `null`: 0, `""`: 0, `3`: 3} {
		var f Float
		if err := f.UnmarshalJSON([]byte(in)); err != nil || float64(f) != want {
			t.Errorf("%s -> %v %v", in, f, err)
		}
	}
	var f Float
	if err := f.UnmarshalJSON([]byte(`"lots"`)); err == nil {
		t.Error("non-number accepted")
	}
}

func TestBoolSpellings(t *testing.T) {
	for in, want := range map[string]bool{"Yes": true, "No": false, "true": true, "false": false, " YES ": true, "": false} {
		var b Bool
		if err := b.UnmarshalText([]byte(in)); err != nil || bool(b) != want {
			t.Errorf("%q -> %v %v", in, b, err)
		}
	}
}

func FuzzDecode(f *testing.F) {
	for _, n := range []string{"job.api-current.xml", "job.api-get.xml", "client.api-list.xml", "error-envelope.xml"} {
		b, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "xero", "xpm-examples", n))
		if err == nil {
			f.Add(b, "text/xml")
		}
	}
	f.Add([]byte(`{"status":"OK","jobs":[]}`), "application/json")
	f.Add([]byte(`<Response><Status>OK</Status><JobStates><JobState><UUID>u</UUID><Name>Waiting</Name></JobState></JobStates></Response>`), "text/xml")
	f.Add([]byte(`{"status":"OK","jobStates":[{"uuid":"u","name":"Waiting"}],"job":{"budget":"12.5","dueDate":null}}`), "application/json")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		// Never panics; an error is either an XPM envelope or malformed, never both.
		var jr jobsResponse
		err := decode(body, ct, &jr)
		var xe *Error
		if err != nil && errors.As(err, &xe) && errors.Is(err, ErrMalformed) {
			t.Fatalf("error is both envelope and malformed: %v", err)
		}
		var cr clientsResponse
		_ = decode(body, ct, &cr)
		var sr jobStatesResponse
		_ = decode(body, ct, &sr)
		var one jobResponse
		if err := decode(body, ct, &one); err == nil {
			_ = StatesOf([]Job{one.Job})
		}
	})
}

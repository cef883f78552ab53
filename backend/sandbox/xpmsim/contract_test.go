package xpmsim

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"chase.md/backend/xerospec"
)

// validateJSON checks an answer to a GET against the withdrawn v3.1 spec
// (backend/xerospec, which merges its allOf compositions as their authors
// meant them) and returns the operation's path template.
func validateJSON(t *testing.T, spec *xerospec.Spec, rawURL string, resp *http.Response, body []byte) (string, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Xero-Features", "practice-strict-content-type")
	route, err := spec.ValidateExchange(req, nil, resp.StatusCode, resp.Header, body)
	if route == nil {
		t.Fatalf("%s: %v", rawURL, err)
	}
	return route.Path, err
}

func TestJSONFlavourMatchesWithdrawnSpec(t *testing.T) {
	spec, err := xerospec.Load(xerospec.PracticeManagerFile)
	if err != nil {
		t.Fatal(err)
	}
	jsonHeader := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	// The validator itself must see a wrong body: both mismatches.
	bad := `{"status":"OK","jobs":[{"id":"J1","assigned":{"staff":1.0},"bogus":true}]}`
	_, err = validateJSON(t, spec, "http://x/practicemanager/3.1/job.api/current", &http.Response{StatusCode: 200, Header: jsonHeader}, []byte(bad))
	if err == nil || !strings.Contains(err.Error(), `"bogus"`) || !strings.Contains(err.Error(), `"assigned"`) {
		t.Fatalf("validator missed mismatches: %v", err)
	}
	// … and a right one passes (the allOf branches are not read one by one).
	if _, err := validateJSON(t, spec, "http://x/practicemanager/3.1/job.api/current", &http.Response{StatusCode: 200, Header: jsonHeader},
		[]byte(`{"status":"OK","jobs":[{"id":"J1","state":"Planned"}]}`)); err != nil {
		t.Fatalf("a conforming body: %v", err)
	}
	p := newTestPractice(Options{Seed: 13})
	srv := serve(t, p)
	job := p.Jobs()[0]
	client := p.Clients()[0]
	for _, tc := range []struct{ rel, spec string }{
		{"job.api/current?detailed=true", "/job.api/current"},
		{"job.api/list?from=20260101&to=20261231", "/job.api/list"},
		{"job.api/get/" + job.ID, "/job.api/get/{jobNumber}"},
		{"job.api/client/" + client.UUID, "/job.api/client/{identifier}"},
		{"jobstate.api/list", "/jobstate.api/list"},
		{"client.api/list?detailed=true", "/client.api/list"},
		{"client.api/paged-list?pageSize=10", "/client.api/paged-list"},
		{"client.api/get/" + client.UUID, "/client.api/get/{identifier}"},
	} {
		t.Run(tc.rel, func(t *testing.T) {
			resp, b := do(t, http.MethodGet, srv.URL+"/practicemanager/3.1/"+tc.rel, "",
				"Xero-Features", "practice-strict-content-type", "Accept", "application/json")
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("%d %s: %.200s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
			}
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				t.Fatalf("not JSON: %v: %.200s", err, b)
			}
			if v["status"] != "OK" || len(v) < 2 {
				t.Fatalf("body: %.300s", b)
			}
			path, err := validateJSON(t, spec, srv.URL+"/practicemanager/3.1/"+tc.rel, resp, b)
			if path != tc.spec {
				t.Errorf("routed to %s, want %s", path, tc.spec)
			}
			if err != nil {
				t.Fatal(err)
			}
		})
	}

	// An error in JSON is the spec's ResponseErrorDto.
	resp, b := do(t, http.MethodGet, srv.URL+"/practicemanager/3.1/job.api/get/J999999", "",
		"Xero-Features", "practice-strict-content-type", "Accept", "application/json")
	var e map[string]any
	if err := json.Unmarshal(b, &e); err != nil || resp.StatusCode != 200 || e["status"] != "ERROR" || e["errorDescription"] == "" {
		t.Fatalf("JSON error: %d %s", resp.StatusCode, b)
	}
	if err := spec.Doc.Components.Schemas["ResponseErrorDto"].Value.VisitJSON(e); err != nil {
		t.Fatalf("JSON error is not a ResponseErrorDto: %v: %s", err, b)
	}

	// Without the feature flag XPM answers XML whatever Accept says.
	resp, _ = do(t, http.MethodGet, srv.URL+"/practicemanager/3.1/jobstate.api/list", "", "Accept", "application/json")
	if resp.Header.Get("Content-Type") != "text/xml; charset=utf-8" {
		t.Fatalf("no feature flag: %s", resp.Header.Get("Content-Type"))
	}
	p.SetResponseFormat(true)
	resp, _ = do(t, http.MethodGet, srv.URL+"/practicemanager/3.1/jobstate.api/list", "")
	if resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("forced JSON: %s", resp.Header.Get("Content-Type"))
	}
}

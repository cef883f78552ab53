package xpmsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"sort"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The withdrawn v3.1 spec declares additionalProperties:false on every branch
// of its allOf compositions, so a conforming body fails a literal JSON Schema
// validator (each branch rejects the others' properties). checkShape reads
// the schemas as their authors meant them: an object's properties are the
// union over allOf, a nullable oneOf is its single branch.
func loadSpec(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(filepath.Join("..", "..", "..", "..", "shared", "xero", "xero-practicemanager-v3-1.yaml"))
	if err != nil {
		t.Fatalf("load spec: %v", err)
	}
	return doc
}

func responseSchema(t *testing.T, doc *openapi3.T, path, method string) *openapi3.Schema {
	t.Helper()
	item := doc.Paths.Find(path)
	if item == nil {
		t.Fatalf("spec has no %s", path)
	}
	op := item.GetOperation(method)
	resp := op.Responses.Status(200)
	return resp.Value.Content.Get("application/json").Schema.Value
}

func resolve(s *openapi3.Schema) *openapi3.Schema {
	if len(s.OneOf) == 1 && s.OneOf[0].Value != nil {
		return resolve(s.OneOf[0].Value)
	}
	return s
}

func props(s *openapi3.Schema) map[string]*openapi3.Schema {
	out := map[string]*openapi3.Schema{}
	for _, a := range s.AllOf {
		for k, v := range props(resolve(a.Value)) {
			out[k] = v
		}
	}
	for k, v := range s.Properties {
		out[k] = resolve(v.Value)
	}
	return out
}

func checkShape(s *openapi3.Schema, v any, at string, errs *[]string) {
	s = resolve(s)
	if v == nil {
		return // every property in this spec is nullable
	}
	typ := ""
	if s.Type != nil && len(*s.Type) > 0 {
		typ = (*s.Type)[0]
	}
	switch x := v.(type) {
	case map[string]any:
		ps := props(s)
		if len(ps) == 0 {
			*errs = append(*errs, fmt.Sprintf("%s: object where the spec has %q", at, typ))
			return
		}
		for k, kv := range x {
			p, ok := ps[k]
			if !ok {
				*errs = append(*errs, at+"."+k+": not in the spec")
				continue
			}
			checkShape(p, kv, at+"."+k, errs)
		}
	case []any:
		if typ != "array" {
			*errs = append(*errs, fmt.Sprintf("%s: array where the spec has %q", at, typ))
			return
		}
		for i, e := range x {
			checkShape(s.Items.Value, e, fmt.Sprintf("%s[%d]", at, i), errs)
		}
	case string:
		if typ != "string" {
			*errs = append(*errs, fmt.Sprintf("%s: string where the spec has %q", at, typ))
		}
	case bool:
		if typ != "boolean" {
			*errs = append(*errs, fmt.Sprintf("%s: boolean where the spec has %q", at, typ))
		}
	case float64:
		if typ != "number" && typ != "integer" {
			*errs = append(*errs, fmt.Sprintf("%s: number where the spec has %q", at, typ))
		}
	}
}

func TestJSONFlavourMatchesWithdrawnSpec(t *testing.T) {
	doc := loadSpec(t)
	// The checker itself must see a wrong body.
	var bad []string
	checkShape(responseSchema(t, doc, "/v3.1/job.api/current", http.MethodGet),
		map[string]any{"status": "OK", "jobs": []any{map[string]any{"id": "J1", "assigned": map[string]any{"staff": 1.0}, "bogus": true}}}, "$", &bad)
	if len(bad) != 2 {
		t.Fatalf("checker missed mismatches: %v", bad)
	}
	p := newTestPractice(Options{Seed: 13})
	srv := serve(t, p)
	job := p.Jobs()[0]
	client := p.Clients()[0]
	for _, tc := range []struct{ rel, spec string }{
		{"job.api/current?detailed=true", "/v3.1/job.api/current"},
		{"job.api/list?from=20260101&to=20261231", "/v3.1/job.api/list"},
		{"job.api/get/" + job.ID, "/v3.1/job.api/get/{jobNumber}"},
		{"job.api/client/" + client.UUID, "/v3.1/job.api/client/{identifier}"},
		{"jobstate.api/list", "/v3.1/jobstate.api/list"},
		{"client.api/list?detailed=true", "/v3.1/client.api/list"},
		{"client.api/paged-list?pageSize=10", "/v3.1/client.api/paged-list"},
		{"client.api/get/" + client.UUID, "/v3.1/client.api/get/{identifier}"},
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
			var errs []string
			checkShape(responseSchema(t, doc, tc.spec, http.MethodGet), v, "$", &errs)
			sort.Strings(errs)
			if len(errs) > 0 {
				t.Fatalf("%d mismatches, e.g. %v", len(errs), errs[:min(len(errs), 8)])
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

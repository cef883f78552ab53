package match

import "testing"

func TestSpecificRule(t *testing.T) {
	acme := RuleClient{Name: "Acme Plumbing Ltd", AccountNumber: "ACC-0042"}
	// A client whose name is made of scanner words still gets no rule from a scan.
	scanCo := RuleClient{Name: "Scan Document Image Ltd"}
	others := []string{"Bright Bakery invoice 2024-03.pdf", "scan_0007.pdf", "Zeta/Acme notes.pdf"}
	for _, tc := range []struct {
		rel    string
		client RuleClient
		want   string
	}{
		// Scanner and camera default names never become rules.
		{"scan_0001.pdf", acme, ""},
		{"scan_0001.pdf", scanCo, ""},
		{"IMG_1234.jpg", acme, ""},
		{"Document (3).pdf", acme, ""},
		{"Document (3).pdf", scanCo, ""},
		{"Scan 12-03-2026.pdf", acme, ""},
		{"20260312.pdf", acme, ""},
		{"2026-03-12 10.41.pdf", acme, ""},
		// A word of the client's name, or its account number, makes it specific.
		{"Acme invoice 2024-03.pdf", acme, "acme invoice *-*.pdf"},
		{"Plumbing receipts 7.pdf", acme, "plumbing receipts *.pdf"},
		{"Bank ACC-0042 march.pdf", acme, "*acc-0042*"},
		{"Bank ACC-00421 march.pdf", acme, ""}, // not the account number
		{"Acme Plumbing/2024/scan 3.pdf", acme, "acme plumbing"},
		// A word of the name that is a company form or a document word is not enough.
		{"Ltd invoice 5.pdf", acme, ""},
		// A pattern that also matches another client's files is not specific.
		{"Bright Bakery invoice 2024-04.pdf", RuleClient{Name: "Bright Bakery"}, ""},
	} {
		got := SpecificRule(tc.rel, tc.client, others)
		if got != tc.want {
			t.Errorf("SpecificRule(%q, %q) = %q, want %q", tc.rel, tc.client.Name, got, tc.want)
			continue
		}
		if got == "" {
			continue
		}
		// The rule files the example it came from.
		if !ruleMatches(got, lowerSlash(tc.rel)) {
			t.Errorf("rule %q does not match %q", got, tc.rel)
		}
	}
}

func lowerSlash(s string) string {
	b := []byte(s)
	for i, c := range b {
		if c == '\\' {
			b[i] = '/'
		}
	}
	return string(b)
}

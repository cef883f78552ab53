package sandbox

import (
	"encoding/json"
	"testing"
	"time"
)

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

func TestWhere(t *testing.T) {
	c := &Contact{ContactID: "8138a266-fb42-49b2-a104-014b7045753d", Name: "Smith & Co Ltd", ContactStatus: "ACTIVE",
		IsCustomer: true, EmailAddress: "accounts@smithco.co.nz", AccountNumber: "ACC-0042"}
	c.touch(time.Date(2024, 3, 5, 10, 0, 0, 0, time.UTC))
	cases := []struct {
		where string
		want  bool
	}{
		{``, true},
		{`ContactStatus=="ACTIVE"`, true},
		{`ContactStatus == "archived"`, false},
		{`IsCustomer==true`, true},
		{`IsCustomer`, true},
		{`IsSupplier==true`, false},
		{`!IsSupplier`, true},
		{`Name.Contains("smith")`, true},
		{`Name.ToLower().Contains("co ltd")`, true},
		{`Name.StartsWith("Smith")`, true},
		{`Name.StartsWith("Co")`, false},
		{`Name.EndsWith("LTD")`, true},
		{`UpdatedDateUTC>=DateTime(2024,01,02)`, true},
		{`UpdatedDateUTC>=DateTime(2024,03,05,10,0,1)`, false},
		{`UpdatedDateUTC < DateTime(2025, 1, 1)`, true},
		{`UpdatedDateUTC>DateTime.Parse("2024-03-05T09:00:00")`, true},
		{`ContactStatus=="ACTIVE" AND IsCustomer==true AND Name.Contains("x")`, false},
		{`ContactStatus=="ACTIVE" && (IsSupplier==true || AccountNumber=="ACC-0042")`, true},
		{`Name=="Smith & Co Ltd" OR Name=="Other"`, true},
		{`ContactID==Guid("8138A266-FB42-49B2-A104-014B7045753D")`, true},
		{`ContactNumber==null`, true},
		{`EmailAddress!=null`, true},
		{`Name="Smith & Co Ltd"`, true},
	}
	for _, tc := range cases {
		p, err := parseWhere(tc.where)
		if err != nil {
			t.Errorf("%s: %v", tc.where, err)
			continue
		}
		if got := p(c); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.where, got, tc.want)
		}
	}
	for _, bad := range []string{`Name==`, `Nope=="x"`, `Name.Contains("x"`, `(IsCustomer`, `Name=="x" AND`, `Name.Frob("x")`, `"unterminated`} {
		if _, err := parseWhere(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func FuzzWhere(f *testing.F) {
	for _, s := range []string{`Name.Contains("a") AND IsCustomer==true`, `UpdatedDateUTC>=DateTime(2024,01,02)`, `!(A||B)`} {
		f.Add(s)
	}
	c := &Contact{Name: "x"}
	f.Fuzz(func(t *testing.T, s string) {
		if p, err := parseWhere(s); err == nil {
			p(c)
		}
	})
}

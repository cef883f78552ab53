package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var contacts = []Candidate{
	{ContactID: "smith-ltd", Name: "Smith & Co Ltd", AccountNumber: "ACC-0042"},
	{ContactID: "smith-limited", Name: "Smith and Co Limited", AccountNumber: "ACC-0043"},
	{ContactID: "smyth", Name: "Smyth Co"},
	{ContactID: "zoe", Name: "Zoë Müller", FirstName: "Zoë", LastName: "Müller", Email: "zoe@mueller.de"},
	{ContactID: "john", Name: "John Smith", FirstName: "John", LastName: "Smith"},
	{ContactID: "jane", Name: "Jane Smith", FirstName: "Jane", LastName: "Smith"},
	{ContactID: "acme", Name: "Acme Widgets Pty Ltd", ContactNumber: "CN-7781",
		PersonNames: []string{"Priya Raman"}, PersonEmails: []string{"priya@acmewidgets.com.au"}},
	{ContactID: "acme-corp", Name: "Acme Corp"},
	{ContactID: "obrien", Name: "O'Brien Plumbing & Gas", AccountNumber: "OBP01"},
	{ContactID: "bakery", Name: "The Sourdough Bakery Ltd"},
	{ContactID: "old", Name: "Harbourview Holdings Ltd", Archived: true},
	{ContactID: "mcd", Name: "McDonald Farms LLC"},
	{ContactID: "statement", Name: "Statement Clothing Inc"},
	{ContactID: "scan", Name: "Scan Ltd"},
}

func TestMatch(t *testing.T) {
	ix := NewIndex(contacts)
	tests := []struct {
		name    string
		rel     string
		opts    Options
		auto    string // "" = must go to Review
		best    string // expected Best[0] when not auto ("" = don't care)
		reason  string // substring of the winning reason
		noMatch bool
	}{
		{name: "exact name in file", rel: "Acme Widgets Pty Ltd invoice 2024.pdf", auto: "acme", reason: "file name"},
		{name: "company form dropped", rel: "acme widgets - bank statement.PDF", auto: "acme"},
		{name: "camelCase file name", rel: "AcmeWidgets_Statement_Mar2024.pdf", auto: "acme"},
		{name: "glued words", rel: "acmewidgets.pdf", auto: "acme"},
		{name: "look-alikes tie", rel: "Smith & Co Ltd statement.pdf", best: "smith-limited"},
		{name: "look-alikes tie other spelling", rel: "Smith and Co Limited - invoice.pdf", best: "smith-limited"},
		{name: "smyth is not smith", rel: "Smyth Co scan 0001.pdf", auto: "smyth"},
		{name: "account number wins", rel: "Smith ACC-0042 statement.pdf", auto: "smith-ltd", reason: "account number ACC-0042 in file name"},
		{name: "account number with space", rel: "acc 0043 remittance.pdf", auto: "smith-limited", reason: "account number"},
		{name: "account number inside longer number is not a match", rel: "ACC00421.pdf", noMatch: true},
		{name: "contact number", rel: "CN7781 receipt.jpg", auto: "acme", reason: "contact number"},
		{name: "email", rel: "from zoe@mueller.de.pdf", auto: "zoe", reason: "email"},
		{name: "person email", rel: "priya@acmewidgets.com.au 2024.pdf", auto: "acme", reason: "contact person's email"},
		{name: "accents folded", rel: "Zoe Muller bank statement.pdf", auto: "zoe"},
		{name: "accents in file", rel: "Zoë Müller – bank statement.pdf", auto: "zoe"},
		{name: "transliteration typo", rel: "Zoe Mueller payslip.pdf", auto: "zoe"},
		{name: "people initial ambiguous", rel: "J Smith payslip.pdf"},
		{name: "full person name", rel: "John Smith payslip.pdf", auto: "john"},
		{name: "misspelled company", rel: "Acme Widgest invoice.pdf", auto: "acme"},
		{name: "two typos in long words", rel: "Sourdugh Bakrey receipts.pdf", auto: "bakery"},
		{name: "missing word goes to review", rel: "OBrien Plumbing invoice.pdf", best: "obrien"},
		{name: "apostrophe kept", rel: "O’Brien Plumbing and Gas.pdf", auto: "obrien"},
		{name: "sub-folder", rel: "Acme Corp/scan_0003.pdf", opts: Options{Mode: ModeSubfolder}, auto: "acme-corp", reason: "sub-folder name"},
		{name: "nested sub-folder", rel: "2024/Clients/The Sourdough Bakery/scan.pdf", opts: Options{Mode: ModeSubfolder}, auto: "bakery"},
		{name: "subfolder mode ignores file name", rel: "Acme Corp.pdf", opts: Options{Mode: ModeSubfolder}, noMatch: true},
		{name: "file mode ignores folder", rel: "Acme Corp/scan.pdf", opts: Options{Mode: ModeFileName}, noMatch: true},
		{name: "windows separators", rel: `Acme Corp\scan.pdf`, opts: Options{Mode: ModeSubfolder}, auto: "acme-corp"},
		{name: "company form is not needed", rel: "Acme invoice.pdf", auto: "acme-corp"},
		{name: "archived never auto", rel: "Harbourview Holdings invoice.pdf", best: "old"},
		{name: "unknown words lower confidence", rel: "Acme Corp Melbourne warehouse lease.pdf", best: "acme-corp"},
		{name: "only doc words", rel: "invoice 2024-03-01.pdf", noMatch: true},
		{name: "scanner name", rel: "IMG_20240301_0001.jpg", noMatch: true},
		{name: "name made of doc word", rel: "Statement Clothing statement.pdf", auto: "statement"},
		{name: "client named like a document word", rel: "scan_0001.pdf", best: "scan"},
		{name: "folder of folders", rel: "Clients/Inbox/The Sourdough Bakery/2024/scan.pdf", opts: Options{Mode: ModeSubfolder}, auto: "bakery"},
		{name: "McDonald", rel: "mcdonald farms.pdf", auto: "mcd"},
		{name: "rule wins", rel: "Inbox/ACME Corp statement.pdf", opts: Options{Rules: []Rule{{Pattern: "inbox/*", ContactID: "zoe"}}}, auto: "zoe", reason: "rule"},
		{name: "rule on file name", rel: "x/scan 7.PDF", opts: Options{Rules: []Rule{{Pattern: "SCAN *.pdf", ContactID: "john"}}}, auto: "john"},
		{name: "fixed", rel: "whatever.pdf", opts: Options{Mode: ModeFixed, ContactID: "jane"}, auto: "jane"},
		{name: "threshold above one never autos", rel: "Acme Widgets.pdf", opts: Options{Threshold: 1.01}, best: "acme"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := ix.Match(tc.rel, tc.opts)
			if tc.noMatch {
				if res.Auto != nil || len(res.Best) > 0 && res.Best[0].Confidence >= 0.6 {
					t.Fatalf("want no confident match, got %+v", res)
				}
				return
			}
			if len(res.Best) == 0 {
				t.Fatalf("no suggestions")
			}
			if tc.auto != "" {
				if res.Auto == nil || res.Auto.ContactID != tc.auto {
					t.Fatalf("auto: want %s, got %+v", tc.auto, res)
				}
				if tc.reason != "" && !strings.Contains(res.Auto.Reason, tc.reason) {
					t.Fatalf("reason %q does not contain %q", res.Auto.Reason, tc.reason)
				}
				return
			}
			if res.Auto != nil {
				t.Fatalf("want Review, got auto %+v (best %+v)", *res.Auto, res.Best)
			}
			if tc.best != "" && !slices.ContainsFunc(res.Best[:min(2, len(res.Best))], func(s Suggestion) bool { return s.ContactID == tc.best }) {
				t.Fatalf("want %s among the top suggestions, got %+v", tc.best, res.Best)
			}
		})
	}
}

func TestEmptyIndex(t *testing.T) {
	ix := NewIndex(nil)
	if res := ix.Match("Acme/ACC-0042 bob@x.com.pdf", Options{}); res.Auto != nil || len(res.Best) != 0 {
		t.Fatalf("empty index matched: %+v", res)
	}
	dup := NewIndex([]Candidate{{ContactID: "a", Name: "Acme"}, {ContactID: "a", Name: "Other"}, {Name: "no id"}})
	if dup.Len() != 1 {
		t.Fatalf("Len = %d, want duplicates and blank IDs dropped", dup.Len())
	}
}

func TestTieListsBoth(t *testing.T) {
	ix := NewIndex(contacts)
	res := ix.Match("J Smith payslip.pdf", Options{})
	if res.Auto != nil {
		t.Fatalf("auto on ambiguous initial: %+v", res.Auto)
	}
	ids := []string{}
	for _, s := range res.Best {
		ids = append(ids, s.ContactID)
	}
	if !slices.Contains(ids, "john") || !slices.Contains(ids, "jane") {
		t.Fatalf("want john and jane suggested, got %v", ids)
	}
	if !sort.SliceIsSorted(res.Best, func(a, b int) bool { return res.Best[a].Confidence > res.Best[b].Confidence }) {
		t.Fatalf("not sorted: %+v", res.Best)
	}
}

func TestDamerau(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"smith", "smith", 0}, {"smith", "smyth", 1}, {"smith", "smiht", 1}, {"muller", "mueller", 1},
		{"abc", "", 3}, {"kitten", "sitting", 3}, {"ca", "abc", 3},
	}
	for _, tc := range tests {
		if got := damerau(tc.a, tc.b, 5); got != tc.want {
			t.Errorf("damerau(%q,%q)=%d want %d", tc.a, tc.b, got, tc.want)
		}
	}
	if got := damerau("kitten", "sitting", 1); got != 2 {
		t.Errorf("cut-off: got %d want 2", got)
	}
}

func TestNormalise(t *testing.T) {
	if got := nameTokens("Zoë  Müller-Straße & Søn"); !slices.Equal(got, []string{"zoe", "muller", "strasse", "and", "son"}) {
		t.Fatalf("nameTokens: %v", got)
	}
	if got := splitCamel("AcmePDFReport2024v2"); !slices.Equal(got, []string{"Acme", "PDF", "Report", "2024", "v", "2"}) {
		t.Fatalf("splitCamel: %v", got)
	}
	if got := coreTokens(nameTokens("The Company Ltd")); len(got) != 3 {
		t.Fatalf("all-legal name must be kept whole: %v", got)
	}
}

func TestValidRule(t *testing.T) {
	if !ValidRule("Acme/*.pdf") || ValidRule("[") || ValidRule("  ") {
		t.Fatal("ValidRule")
	}
}

func FuzzMatch(f *testing.F) {
	ix := NewIndex(contacts)
	for _, s := range []string{"Acme Widgets.pdf", "a/b/c.pdf", "ACC-0042", "x@y.z", "", "///", "Zoë", "\xff\xfe", "J Smith"} {
		f.Add(s, 0.85)
	}
	f.Fuzz(func(t *testing.T, rel string, th float64) {
		if th != th || th < 0 { // NaN or negative: use the default
			th = 0
		}
		res := ix.Match(rel, Options{Threshold: th})
		if th == 0 {
			th = DefaultThreshold
		}
		for i, s := range res.Best {
			if s.Confidence < 0 || s.Confidence > 1 {
				t.Fatalf("confidence %v out of range", s.Confidence)
			}
			if i > 0 && s.Confidence > res.Best[i-1].Confidence {
				t.Fatalf("not sorted")
			}
		}
		if res.Auto != nil && res.Auto.Confidence < th {
			t.Fatalf("auto below threshold %v: %+v", th, res.Auto)
		}
	})
}

// synthetic builds n realistic-looking, mostly distinct contacts.
func synthetic(n int, r *rand.Rand) []Candidate {
	// Small pools on purpose: every word is shared by hundreds of contacts,
	// far more collisions than a real practice's list.
	first := []string{"John", "Jane", "Priya", "Wei", "Zoë", "Liam", "Olivia", "Noah", "Aroha", "Mohammed", "Sofia", "Lucas", "Mia", "Tane", "Chloe",
		"Ethan", "Grace", "Hemi", "Isla", "Jack", "Kiri", "Leo", "Maya", "Nikau", "Oscar", "Ruby", "Sam", "Tom", "Ava", "Ben"}
	last := []string{"Smith", "Nguyen", "Müller", "Patel", "Williams", "Brown", "Tan", "Wilson", "Taylor", "Kaur", "Ngata", "Rossi", "Kim", "O'Brien", "Singh",
		"Anderson", "Baker", "Campbell", "Davies", "Edwards", "Fraser", "Gray", "Harris", "Irwin", "Jones", "King", "Lee", "Martin", "Moore", "Parata",
		"Reid", "Scott", "Thompson", "Walker", "Young", "Zhang", "Wang", "Li", "Chen", "Liu"}
	words := []string{"Acme", "Harbour", "Summit", "Kauri", "Pacific", "Bright", "Northern", "Golden", "Silver", "Urban", "Coastal", "Pioneer", "Evergreen", "Redwood", "Bluegum", "Ironbark",
		"Alpine", "Bayview", "Cedar", "Delta", "Eastern", "Falcon", "Granite", "Highland", "Island", "Jade", "Kestrel", "Lakeside", "Meadow", "Nova"}
	trades := []string{"Plumbing", "Bakery", "Electrical", "Builders", "Consulting", "Dental", "Logistics", "Motors", "Cafe", "Farms", "Design", "Legal", "Fitness", "Florist", "Joinery",
		"Roofing", "Painting", "Physio", "Vets", "Marine", "Engineering", "Catering", "Flooring", "Glazing", "Landscaping"}
	forms := []string{"Ltd", "Limited", "Pty Ltd", "LLC", "Inc", "& Co", ""}
	out := make([]Candidate, n)
	for i := range out {
		c := Candidate{ContactID: fmt.Sprintf("c%05d", i), AccountNumber: fmt.Sprintf("ACC-%05d", i)}
		if i%3 == 0 {
			f, l := first[r.IntN(len(first))], last[r.IntN(len(last))]
			c.FirstName, c.LastName = f, l
			c.Name = fmt.Sprintf("%s %s %d", f, l, i)
		} else {
			c.Name = fmt.Sprintf("%s %s %s %s", words[r.IntN(len(words))], last[r.IntN(len(last))], trades[r.IntN(len(trades))], forms[r.IntN(len(forms))])
			c.PersonNames = []string{first[r.IntN(len(first))] + " " + last[r.IntN(len(last))]}
		}
		out[i] = c
	}
	return out
}

// BenchmarkMatch times Match over 10,000 paths (p99 is the 100th worst, not
// the 10th), at 10,000 and 50,000 contacts, and what a contact sync costs the
// index: Update with 100 changed contacts against building it again.
func BenchmarkMatch(b *testing.B) {
	for _, n := range []int{10000, 50000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) { benchMatch(b, n) })
	}
}

func benchMatch(b *testing.B, n int) {
	r := rand.New(rand.NewPCG(1, 2))
	cs := synthetic(n, r)
	t0 := time.Now()
	ix := NewIndex(cs)
	build := time.Since(t0)
	docs := []string{"invoice 2024", "bank statement", "Scan_0001", "receipts Q3", "payslip March"}
	paths := make([]string, 10000)
	for i := range paths {
		c := cs[r.IntN(len(cs))]
		switch i % 4 {
		case 0:
			paths[i] = c.Name + " " + docs[i%len(docs)] + ".pdf"
		case 1:
			paths[i] = c.Name + "/" + docs[i%len(docs)] + ".pdf"
		case 2:
			paths[i] = docs[i%len(docs)] + " " + c.AccountNumber + ".pdf"
		default:
			paths[i] = strings.ReplaceAll(strings.ToLower(c.Name), " ", "_") + "_" + docs[i%len(docs)] + ".pdf"
		}
	}
	lat := make([]time.Duration, 0, b.N*len(paths))
	var updates []time.Duration
	more := synthetic(200, rand.New(rand.NewPCG(3, 4)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range paths {
			t := time.Now()
			ix.Match(p, Options{})
			lat = append(lat, time.Since(t))
		}
		for range 20 { // 20 syncs of 100 changed contacts
			changed := make([]Candidate, 100)
			for j := range changed {
				c := more[r.IntN(len(more))]
				c.ContactID = cs[r.IntN(len(cs))].ContactID
				changed[j] = c
			}
			t := time.Now()
			ix.Update(changed)
			updates = append(updates, time.Since(t))
		}
	}
	b.StopTimer()
	slices.Sort(lat)
	slices.Sort(updates)
	p50 := float64(lat[len(lat)/2].Nanoseconds()) / 1e3
	p99 := float64(lat[len(lat)*99/100].Nanoseconds()) / 1e3
	b.ReportMetric(p50, "p50-µs")
	b.ReportMetric(p99, "p99-µs")
	label := fmt.Sprintf("match.%dk", n/1000)
	fmt.Fprintf(os.Stdout, "bench: %s.index_build_ms %.1f ms\n", label, float64(build.Microseconds())/1e3)
	fmt.Fprintf(os.Stdout, "bench: %s.update100_ms %.2f ms (p50 of %d in-place updates of 100 changed contacts; max %.2f ms)\n", label,
		float64(updates[len(updates)/2].Microseconds())/1e3, len(updates), float64(updates[len(updates)-1].Microseconds())/1e3)
	fmt.Fprintf(os.Stdout, "bench: %s.p50 %.1f µs\n", label, p50)
	fmt.Fprintf(os.Stdout, "bench: %s.p99 %.1f µs (over %d paths; max %.1f µs)\n", label, p99, len(lat),
		float64(lat[len(lat)-1].Nanoseconds())/1e3)
}

// TestCommonWords covers words shared by more names than commonPostings.
func TestCommonWords(t *testing.T) {
	var cs []Candidate
	for i := range commonPostings + 200 {
		cs = append(cs, Candidate{ContactID: fmt.Sprint(i), Name: fmt.Sprintf("Family%c%c Trust", 'a'+i%26, 'a'+i/26%26)})
	}
	cs = append(cs, Candidate{ContactID: "smith", Name: "Smith Family Trust"}, Candidate{ContactID: "family", Name: "Family Trust"})
	ix := NewIndex(cs)
	res := ix.Match("Smith Family Trust - deed.pdf", Options{})
	if res.Auto == nil || res.Auto.ContactID != "smith" {
		t.Fatalf("want smith, got %+v", res)
	}
	res = ix.Match("Family Trust minutes.pdf", Options{})
	if res.Auto == nil || res.Auto.ContactID != "family" {
		t.Fatalf("common words only: want family, got %+v", res)
	}
}

func TestSuggestRule(t *testing.T) {
	for rel, want := range map[string]string{
		"Acme Corp/2024/scan 3.pdf":       "acme corp",
		`Acme Corp\scan.pdf`:              "acme corp",
		"Scan_0001 2024-03-01.PDF":        "scan_* *-*-*.pdf",
		"weird [1]*.pdf":                  `weird \[*]\*.pdf`,
		"Zoë Müller – bank statement.pdf": "zoë müller – bank statement.pdf",
	} {
		got := SuggestRule(rel)
		if got != want {
			t.Errorf("SuggestRule(%q) = %q want %q", rel, got, want)
			continue
		}
		// The suggestion must file the example it came from.
		ix := NewIndex([]Candidate{{ContactID: "x", Name: "X"}})
		res := ix.Match(rel, Options{Rules: []Rule{{Pattern: got, ContactID: "x"}}})
		if res.Auto == nil || res.Auto.ContactID != "x" {
			t.Errorf("rule %q does not match %q", got, rel)
		}
	}
}

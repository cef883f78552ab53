package search

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// brute is the index's meaning: every word in the text (a short one at the
// start of a word), flags required, in list order.
type brute map[int64]Doc[int64]

func (b brute) search(q Query) ([]int64, int) {
	var words []string
	for _, w := range strings.FieldsFunc(Fold(q.Text), func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) {
		words = append(words, w)
	}
	var hits []Doc[int64]
doc:
	for _, d := range b {
		if d.Flags&q.Require != q.Require {
			continue
		}
		for _, w := range words {
			if utf8.RuneCountInString(w) >= 3 && !strings.Contains(d.Text, w) || utf8.RuneCountInString(w) < 3 && !wordPrefixed(d.Text, w) {
				continue doc
			}
		}
		hits = append(hits, d)
	}
	slices.SortFunc(hits, func(a, b Doc[int64]) int {
		if c := strings.Compare(a.Sort, b.Sort); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	var out []int64
	for i, h := range hits {
		if i >= q.Offset && len(out) < q.Limit {
			out = append(out, h.Value)
		}
	}
	return out, len(hits)
}

func wordPrefixed(doc, w string) bool {
	prev := rune(-1)
	for i, r := range doc {
		if (prev < 0 || !unicode.IsLetter(prev) && !unicode.IsDigit(prev)) && strings.HasPrefix(doc[i:], w) {
			return true
		}
		prev = r
	}
	return false
}

var (
	firsts = []string{"Zoë", "Ana", "Sione", "Li", "Māui", "Jo", "Ngaio", "Chloé", "Al"}
	lasts  = []string{"Müller", "Smith", "O'Brien", "Te Whare", "Ng", "Kaur", "Lee", "García"}
	trades = []string{"Plumbing", "Cafe", "Dental", "Trust", "Joinery", "Ltd", "& Co", "(NZ)"}
)

func randomDoc(r *rand.Rand, id int64) Doc[int64] {
	name := firsts[r.IntN(len(firsts))] + " " + lasts[r.IntN(len(lasts))]
	if r.IntN(2) == 0 {
		name += " " + trades[r.IntN(len(trades))]
	}
	email := strings.ToLower(strings.ReplaceAll(name, " ", ".")) + fmt.Sprintf("%d@example.com", r.IntN(50))
	text := Fold(name + "\n" + email + "\n" + fmt.Sprintf("ACC-%04d", r.IntN(500)))
	return Doc[int64]{ID: id, Sort: Fold(name), Text: text, Flags: uint8(r.IntN(4)), Value: id}
}

// In-place updates (renames, new text, new flags, new entries, in batches
// large and small) keep the index answering exactly what a scan answers,
// with the posting lists warm from earlier queries.
func TestUpdatesInPlaceMatchAScan(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	ix := New[int64]()
	truth := brute{}
	var next int64
	add := func(n int, renew bool) {
		var docs []Doc[int64]
		for range n {
			id := next
			if renew && next > 0 {
				id = r.Int64N(next) // an entry already there: changed
			} else {
				next++
			}
			d := randomDoc(r, id)
			if was, ok := truth[id]; ok && r.IntN(2) == 0 {
				d.Sort = was.Sort // same name, other text: the entry keeps its place
			}
			truth[id] = d
			docs = append(docs, d)
		}
		ix.Upsert(docs...)
	}
	query := func() Query {
		var text string
		d := truth[r.Int64N(next)]
		runes := []rune(d.Text)
		for range 1 + r.IntN(2) {
			n := 1 + r.IntN(6)
			at := r.IntN(max(1, len(runes)-n))
			text += " " + strings.ReplaceAll(string(runes[at:min(len(runes), at+n)]), "\n", " ")
		}
		if r.IntN(5) == 0 {
			text = " " // no words: every entry with the flags
		}
		return Query{Text: text, Require: uint8(r.IntN(4)), Limit: 1 + r.IntN(40), Offset: r.IntN(30)}
	}
	add(500, false) // a first load: the bulk path
	for round := range 400 {
		switch round % 4 {
		case 0:
			add(1+r.IntN(3), true) // a contact or three edited
		case 1:
			add(1+r.IntN(3), false) // new contacts
		case 2:
			add(70+r.IntN(30), true) // a sync page of changes
		}
		for range 20 {
			q := query()
			got, total := ix.Search(q)
			want, wantTotal := truth.search(q)
			if total != wantTotal || !slices.Equal(got, want) {
				t.Fatalf("round %d, %+v: index %d %v, scan %d %v", round, q, total, got, wantTotal, want)
			}
		}
	}
	if ix.Len() != len(truth) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(truth))
	}
	// The lists updated in place are the lists a fresh build makes.
	fresh := New[int64]()
	var all []Doc[int64]
	for _, d := range truth {
		all = append(all, d)
	}
	fresh.Upsert(all...)
	if a, b := listsByID(ix), listsByID(fresh); len(a) != len(b) {
		t.Fatalf("%d posting lists after updates, %d in a fresh build", len(a), len(b))
	} else {
		for k, l := range b {
			if !slices.Equal(a[k], l) {
				t.Fatalf("list %x: %v after updates, %v in a fresh build", k, a[k], l)
			}
		}
	}
	// Everything, in list order.
	got, total := ix.Search(Query{Limit: len(truth)})
	want, _ := truth.search(Query{Limit: len(truth)})
	if total != len(truth) || !slices.Equal(got, want) {
		t.Fatalf("list all: %d entries out of order or missing", total)
	}
}

func TestFold(t *testing.T) {
	for in, want := range map[string]string{"Zoë MÜLLER": "zoe muller", "Māui": "maui", "ACME": "acme", "Chloé": "chloe"} {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestShortWordsMatchWordStarts(t *testing.T) {
	ix := New[string]()
	ix.Upsert(Doc[string]{ID: 1, Sort: "a", Text: "jo smith", Value: "jo"},
		Doc[string]{ID: 2, Sort: "b", Text: "banjo ltd", Value: "banjo"})
	if got, n := ix.Search(Query{Text: "jo", Limit: 10}); n != 1 || got[0] != "jo" {
		t.Fatalf("jo = %v", got)
	}
	if got, n := ix.Search(Query{Text: "anj", Limit: 10}); n != 1 || got[0] != "banjo" {
		t.Fatalf("anj = %v", got)
	}
	ix.Upsert(Doc[string]{ID: 2, Sort: "b", Text: "jo banjo", Value: "banjo"})
	if _, n := ix.Search(Query{Text: "jo", Limit: 10}); n != 2 {
		t.Fatalf("after the update jo finds %d, want 2", n)
	}
}

func listsByID(ix *Index[int64]) map[key][]int64 {
	out := map[key][]int64{}
	for k, l := range ix.lists {
		for _, s := range l {
			out[k] = append(out[k], ix.slots[s].id)
		}
	}
	return out
}

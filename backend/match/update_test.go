package match

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
)

// An index kept current by Update matches every path exactly as an index
// built afresh from the same contacts: renamed, re-numbered, archived and new
// contacts, many rounds, enough to compact its unlisted variants.
func TestUpdateMatchesAFreshIndex(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	truth := synthetic(400, r)
	ix := NewIndex(truth)
	more := synthetic(2000, rand.New(rand.NewPCG(9, 10)))
	docs := []string{"invoice 2024", "bank statement", "Scan_0001", "receipts Q3"}
	for round := range 60 {
		var changed []Candidate
		for range 1 + r.IntN(20) {
			k := r.IntN(len(truth))
			c := more[r.IntN(len(more))]
			c.ContactID = truth[k].ContactID
			switch r.IntN(4) {
			case 0:
				c.Archived = true
			case 1:
				c.AccountNumber = fmt.Sprintf("ACC-%04d", 9000+round)
			}
			truth[k] = c
			changed = append(changed, c)
		}
		if round%5 == 0 {
			c := more[r.IntN(len(more))]
			c.ContactID = fmt.Sprintf("new-%d", round)
			truth = append(truth, c)
			changed = append(changed, c)
		}
		ix.Update(changed)
		fresh := NewIndex(truth)
		for range 30 {
			c := truth[r.IntN(len(truth))]
			var p string
			switch r.IntN(4) {
			case 0:
				p = c.Name + " " + docs[r.IntN(len(docs))] + ".pdf"
			case 1:
				p = c.Name + "/" + docs[r.IntN(len(docs))] + ".pdf"
			case 2:
				p = docs[r.IntN(len(docs))] + " " + c.AccountNumber + ".pdf"
			default:
				p = c.FirstName + " " + c.LastName + " receipts.pdf"
			}
			got, want := ix.Match(p, Options{}), fresh.Match(p, Options{})
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("round %d, %q:\nupdated %+v\nfresh   %+v", round, p, got, want)
			}
		}
	}
	if ix.Len() != len(truth) {
		t.Fatalf("Len = %d, want %d", ix.Len(), len(truth))
	}
}

// A renamed client is found under the new name only, an archived one is no
// longer filed automatically, and a new one is found at once.
func TestUpdateRenamesArchivesAdds(t *testing.T) {
	ix := NewIndex([]Candidate{{ContactID: "a", Name: "Kauri Plumbing Ltd", AccountNumber: "ACC-0001"},
		{ContactID: "b", Name: "Summit Dental"}})
	ix.Update([]Candidate{{ContactID: "a", Name: "Harbour Joinery Ltd", AccountNumber: "ACC-0001"},
		{ContactID: "b", Name: "Summit Dental", Archived: true},
		{ContactID: "c", Name: "Pioneer Motors"}})
	if r := ix.Match("Kauri Plumbing Ltd/invoice.pdf", Options{}); len(r.Best) != 0 {
		t.Errorf("old name still matches: %+v", r.Best)
	}
	if r := ix.Match("Harbour Joinery/invoice.pdf", Options{}); r.Auto == nil || r.Auto.ContactID != "a" {
		t.Errorf("new name: %+v", r)
	}
	if r := ix.Match("Summit Dental/invoice.pdf", Options{}); r.Auto != nil || len(r.Best) == 0 {
		t.Errorf("archived client: %+v, want a suggestion only", r)
	}
	if r := ix.Match("Pioneer Motors/invoice.pdf", Options{}); r.Auto == nil || r.Auto.ContactID != "c" {
		t.Errorf("new client: %+v", r)
	}
	if r := ix.Match("statement ACC-0001.pdf", Options{}); r.Auto == nil || r.Auto.ContactID != "a" {
		t.Errorf("account number after rename: %+v", r)
	}
}

// Match may run while Update changes the index (run with -race).
func TestUpdateWhileMatching(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	cs := synthetic(300, r)
	ix := NewIndex(cs)
	more := synthetic(300, rand.New(rand.NewPCG(13, 14)))
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := range 200 {
			c := more[i%len(more)]
			c.ContactID = cs[i%len(cs)].ContactID
			ix.Update([]Candidate{c, {ContactID: fmt.Sprintf("added-%d", i), Name: c.Name + " Two"}})
		}
	}()
	for i := 0; ; i++ {
		select {
		case <-done:
			if ix.Len() != len(cs)+200 {
				t.Fatalf("Len = %d, want %d", ix.Len(), len(cs)+200)
			}
			return
		default:
		}
		c := cs[i%len(cs)] // the original names, going as the updates come
		ix.Match(c.Name+"/statement.pdf", Options{})
	}
}

package core

import (
	"testing"

	"chase.md/backend/store"
	"chase.md/backend/upload"
)

func TestContactType(t *testing.T) {
	for _, tc := range []struct {
		c    store.Contact
		want upload.ContactType
	}{
		{store.Contact{Name: "Aroha Ngata", FirstName: "Aroha", LastName: "Ngata"}, upload.Person},
		{store.Contact{Name: "aroha  ngata", FirstName: "Aroha", LastName: "Ngata"}, upload.Person},
		{store.Contact{Name: "Ngata Plumbing Ltd", FirstName: "Aroha", LastName: "Ngata"}, upload.Business},
		{store.Contact{Name: "Harbour Dental"}, upload.Business},
		{store.Contact{Name: "Cher", FirstName: "Cher"}, upload.Business},
	} {
		if got := contactType(tc.c); got != tc.want {
			t.Errorf("%q: %s, want %s", tc.c.Name, got, tc.want)
		}
	}
}

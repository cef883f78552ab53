package sandbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	rnd "math/rand/v2"
	"strings"
	"sync"
	"time"
)

const (
	tenantOrganisation = "ORGANISATION"
	tenantPractice     = "PRACTICEMANAGER"
)

// tenant is one Xero organisation or practice. Its fields are guarded by Server.mu.
type tenant struct {
	ID, Name, Type string

	contacts  map[string]*Contact // by ContactID
	order     []*Contact          // creation order
	jsonCache sync.Map            // *Contact -> []byte, its JSON encoding

	folders []*folder
	files   map[string]*file
	fileSeq []*file
	assocs  []*association
}

// Contact is an accounting contact as the sandbox stores and serves it
// (Xero's field names; UpdatedDateUTC in MS-JSON form).
type Contact struct {
	ContactID           string          `json:"ContactID"`
	MergedToContactID   string          `json:"MergedToContactID,omitempty"`
	ContactNumber       string          `json:"ContactNumber,omitempty"`
	AccountNumber       string          `json:"AccountNumber,omitempty"`
	ContactStatus       string          `json:"ContactStatus"`
	Name                string          `json:"Name"`
	FirstName           string          `json:"FirstName,omitempty"`
	LastName            string          `json:"LastName,omitempty"`
	CompanyNumber       string          `json:"CompanyNumber,omitempty"`
	EmailAddress        string          `json:"EmailAddress,omitempty"`
	ContactPersons      []ContactPerson `json:"ContactPersons,omitempty"`
	BankAccountDetails  string          `json:"BankAccountDetails,omitempty"`
	TaxNumber           string          `json:"TaxNumber,omitempty"`
	Addresses           []Address       `json:"Addresses,omitempty"`
	Phones              []Phone         `json:"Phones,omitempty"`
	IsSupplier          bool            `json:"IsSupplier"`
	IsCustomer          bool            `json:"IsCustomer"`
	DefaultCurrency     string          `json:"DefaultCurrency,omitempty"`
	UpdatedDateUTC      string          `json:"UpdatedDateUTC"`
	ContactGroups       []ContactGroup  `json:"ContactGroups"`
	Balances            *Balances       `json:"Balances,omitempty"`
	HasAttachments      bool            `json:"HasAttachments"`
	HasValidationErrors bool            `json:"HasValidationErrors"`

	// Only in answers to POST/PUT with summarizeErrors=false.
	StatusAttributeString string    `json:"StatusAttributeString,omitempty"`
	ValidationErrors      []warning `json:"ValidationErrors,omitempty"`

	// IsPerson is the generator's truth (Xero does not expose it).
	IsPerson bool      `json:"-"`
	Updated  time.Time `json:"-"`
}

type ContactPerson struct {
	FirstName       string `json:"FirstName,omitempty"`
	LastName        string `json:"LastName,omitempty"`
	EmailAddress    string `json:"EmailAddress,omitempty"`
	IncludeInEmails bool   `json:"IncludeInEmails"`
}

type Address struct {
	AddressType  string `json:"AddressType"`
	AddressLine1 string `json:"AddressLine1,omitempty"`
	AddressLine2 string `json:"AddressLine2,omitempty"`
	City         string `json:"City"`
	Region       string `json:"Region"`
	PostalCode   string `json:"PostalCode"`
	Country      string `json:"Country"`
}

type Phone struct {
	PhoneType        string `json:"PhoneType"`
	PhoneNumber      string `json:"PhoneNumber"`
	PhoneAreaCode    string `json:"PhoneAreaCode"`
	PhoneCountryCode string `json:"PhoneCountryCode"`
}

type ContactGroup struct {
	ContactGroupID string `json:"ContactGroupID"`
	Name           string `json:"Name"`
	Status         string `json:"Status"`
}

type Balances struct {
	AccountsReceivable struct {
		Outstanding float64 `json:"Outstanding"`
		Overdue     float64 `json:"Overdue"`
	} `json:"AccountsReceivable"`
	AccountsPayable struct {
		Outstanding float64 `json:"Outstanding"`
		Overdue     float64 `json:"Overdue"`
	} `json:"AccountsPayable"`
}

func (c *Contact) clone() Contact {
	out := *c
	out.ContactPersons = append([]ContactPerson(nil), c.ContactPersons...)
	out.Addresses = append([]Address(nil), c.Addresses...)
	out.Phones = append([]Phone(nil), c.Phones...)
	out.ContactGroups = append([]ContactGroup{}, c.ContactGroups...)
	if c.Balances != nil {
		b := *c.Balances
		out.Balances = &b
	}
	return out
}

func (c *Contact) touch(now time.Time) {
	c.Updated = now
	c.UpdatedDateUTC = msDate(now)
}

// msDate formats Xero's MS-JSON date: /Date(1503348544227+0000)/.
func msDate(t time.Time) string {
	return fmt.Sprintf("/Date(%d+0000)/", t.UnixMilli())
}

// filesTime formats the Files and identity APIs' timestamps:
// 2021-02-10T16:02:54.9930000 (UTC, no zone, 7 fractional digits).
func filesTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.0000000")
}

// newUUID draws a version-4 UUID from r, or from crypto/rand when r is nil.
func newUUID(r *rnd.Rand) string {
	var b [16]byte
	if r == nil {
		_, _ = rand.Read(b[:])
	} else {
		for i := 0; i < 16; i += 8 {
			v := r.Uint64()
			for j := 0; j < 8; j++ {
				b[i+j] = byte(v >> (8 * j))
			}
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:16])
	return string(out[:])
}

func (s *Server) newID() string       { return newUUID(nil) }
func (s *Server) newIDLocked() string { return newUUID(nil) }

func isUUID(v string) bool {
	if len(v) != 36 {
		return false
	}
	for i, c := range strings.ToLower(v) {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
				return false
			}
		}
	}
	return true
}

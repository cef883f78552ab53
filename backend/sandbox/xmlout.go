package sandbox

import (
	"encoding/xml"
	"net/http"
	"strings"
	"time"
)

// The Accounting API answers XML unless the client asks for JSON
// ("Accept: application/json"), so a client that forgets the header breaks
// here as it would against Xero.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(strings.ToLower(r.Header.Get("Accept")), "json")
}

type xmlResponse struct {
	XMLName      xml.Name     `xml:"Response"`
	XSI          string       `xml:"xmlns:xsi,attr"`
	XSD          string       `xml:"xmlns:xsd,attr"`
	ID           string       `xml:"Id"`
	Status       string       `xml:"Status"`
	ProviderName string       `xml:"ProviderName"`
	DateTimeUTC  string       `xml:"DateTimeUTC"`
	Contacts     []xmlContact `xml:"Contacts>Contact"`
}

type xmlContact struct {
	ContactID         string          `xml:"ContactID"`
	MergedToContactID string          `xml:"MergedToContactID,omitempty"`
	ContactNumber     string          `xml:"ContactNumber,omitempty"`
	AccountNumber     string          `xml:"AccountNumber,omitempty"`
	ContactStatus     string          `xml:"ContactStatus"`
	Name              string          `xml:"Name"`
	FirstName         string          `xml:"FirstName,omitempty"`
	LastName          string          `xml:"LastName,omitempty"`
	EmailAddress      string          `xml:"EmailAddress,omitempty"`
	ContactPersons    []ContactPerson `xml:"ContactPersons>ContactPerson,omitempty"`
	Addresses         []Address       `xml:"Addresses>Address,omitempty"`
	Phones            []Phone         `xml:"Phones>Phone,omitempty"`
	UpdatedDateUTC    string          `xml:"UpdatedDateUTC"`
	ContactGroups     []ContactGroup  `xml:"ContactGroups>ContactGroup,omitempty"`
	IsSupplier        bool            `xml:"IsSupplier"`
	IsCustomer        bool            `xml:"IsCustomer"`
	HasAttachments    bool            `xml:"HasAttachments"`
}

func writeContactsXML(w http.ResponseWriter, env envelope, cs []*Contact, now time.Time) {
	out := xmlResponse{XSI: "http://www.w3.org/2001/XMLSchema-instance", XSD: "http://www.w3.org/2001/XMLSchema",
		ID: env.ID, Status: env.Status, ProviderName: env.ProviderName,
		DateTimeUTC: now.UTC().Format("2006-01-02T15:04:05.0000000Z")}
	for _, c := range cs {
		out.Contacts = append(out.Contacts, xmlContact{ContactID: c.ContactID, MergedToContactID: c.MergedToContactID,
			ContactNumber: c.ContactNumber, AccountNumber: c.AccountNumber, ContactStatus: c.ContactStatus, Name: c.Name,
			FirstName: c.FirstName, LastName: c.LastName, EmailAddress: c.EmailAddress, ContactPersons: c.ContactPersons,
			Addresses: c.Addresses, Phones: c.Phones, UpdatedDateUTC: c.Updated.UTC().Format("2006-01-02T15:04:05.000"),
			ContactGroups: c.ContactGroups, IsSupplier: c.IsSupplier, IsCustomer: c.IsCustomer, HasAttachments: c.HasAttachments})
	}
	b, err := xml.Marshal(out)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, http.StatusOK, "text/xml; charset=utf-8", append([]byte(xml.Header), b...))
}

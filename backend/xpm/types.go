// Package xpm is a client for Xero Practice Manager API v3.1 (XML, errors as HTTP 200).
package xpm

// Ref is a UUID and name, as XPM embeds clients, staff and contacts.
type Ref struct {
	UUID string `xml:"UUID" json:"uuid"`
	Name string `xml:"Name" json:"name"`
}

// JobState is one of the practice's own job states (names and codes differ per practice).
type JobState struct {
	UUID string `xml:"UUID" json:"uuid"`
	Name string `xml:"Name" json:"name"`
	// Code is the state's Interface Code when the server says it (PUT job.api/state takes it).
	Code string `xml:"Code" json:"code"`
}

// Job is a job as job.api returns it.
type Job struct {
	ID            string `xml:"ID" json:"id"`
	UUID          string `xml:"UUID" json:"uuid"`
	Name          string `xml:"Name" json:"name"`
	Description   string `xml:"Description" json:"description"`
	State         string `xml:"State" json:"state"`
	Type          string `xml:"Type" json:"type"`
	StartDate     Time   `xml:"StartDate" json:"startDate"`
	DueDate       Time   `xml:"DueDate" json:"dueDate"`
	CompletedDate Time   `xml:"CompletedDate" json:"completedDate"`
	Client        Ref    `xml:"Client" json:"client"`
	Contact       Ref    `xml:"Contact" json:"contact"`
	Manager       Ref    `xml:"Manager" json:"manager"`
	Partner       Ref    `xml:"Partner" json:"partner"`
	Budget        Float  `xml:"Budget" json:"budget"`
}

// ClientContact is a person on an XPM client.
type ClientContact struct {
	UUID      string `xml:"UUID" json:"uuid"`
	Name      string `xml:"Name" json:"name"`
	Email     string `xml:"Email" json:"email"`
	Mobile    string `xml:"Mobile" json:"mobile"`
	Phone     string `xml:"Phone" json:"phone"`
	IsPrimary Bool   `xml:"IsPrimary" json:"isPrimary"`
	IsDeleted Bool   `xml:"IsDeleted" json:"isDeleted"`
}

// PracticeClient is an XPM client (a client of the practice); Client is
// the API client.
type PracticeClient struct {
	UUID       string `xml:"UUID" json:"uuid"`
	Name       string `xml:"Name" json:"name"`
	FirstName  string `xml:"FirstName" json:"firstName"`
	LastName   string `xml:"LastName" json:"lastName"`
	Email      string `xml:"Email" json:"email"`
	Phone      string `xml:"Phone" json:"phone"`
	ExportCode string `xml:"ExportCode" json:"exportCode"`
	// Keys a Xero contact may share (detailed lists only): the trading name,
	// numbers and the practice's own client code.
	OtherName      string          `xml:"OtherName" json:"otherName"`
	Mobile         string          `xml:"Mobile" json:"mobile"`
	TaxNumber      string          `xml:"TaxNumber" json:"taxNumber"`
	CompanyNumber  string          `xml:"CompanyNumber" json:"companyNumber"`
	BusinessNumber string          `xml:"BusinessNumber" json:"businessNumber"`
	ClientCode     string          `xml:"ClientCode" json:"clientCode"`
	IsArchived     Bool            `xml:"IsArchived" json:"isArchived"`
	IsDeleted      Bool            `xml:"IsDeleted" json:"isDeleted"`
	IsProspect     Bool            `xml:"IsProspect" json:"isProspect"`
	AccountManager Ref             `xml:"AccountManager" json:"accountManager"`
	Contacts       []ClientContact `xml:"Contacts>Contact" json:"contacts"`
}

type jobStatesResponse struct {
	States []JobState `xml:"JobStates>JobState" json:"jobStates"`
}

type jobsResponse struct {
	Jobs []Job `xml:"Jobs>Job" json:"jobs"`
}

type jobResponse struct {
	Job Job `xml:"Job" json:"job"`
}

type clientsResponse struct {
	Clients    []PracticeClient `xml:"Clients>Client" json:"clients"`
	Pagination struct {
		Links struct {
			First string `xml:"First" json:"first"`
			Next  string `xml:"Next" json:"next"`
		} `xml:"Links" json:"links"`
	} `xml:"Pagination" json:"pagination"`
}

type clientResponse struct {
	Client PracticeClient `xml:"Client" json:"client"`
}

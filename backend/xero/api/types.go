// Package api holds the wire types of Xero's Accounting (Contacts) and Files APIs,
// as Xero sends them. Dates stay as Xero's strings here; package xero parses them.
package api

// Contact is an Accounting API contact (xero_accounting.yaml #/components/schemas/Contact).
type Contact struct {
	ContactID           string            `json:"ContactID,omitempty"`
	ContactNumber       string            `json:"ContactNumber,omitempty"`
	AccountNumber       string            `json:"AccountNumber,omitempty"`
	ContactStatus       string            `json:"ContactStatus,omitempty"` // ACTIVE, ARCHIVED, GDPRREQUEST
	Name                string            `json:"Name,omitempty"`
	FirstName           string            `json:"FirstName,omitempty"`
	LastName            string            `json:"LastName,omitempty"`
	CompanyNumber       string            `json:"CompanyNumber,omitempty"`
	EmailAddress        string            `json:"EmailAddress,omitempty"`
	ContactPersons      []ContactPerson   `json:"ContactPersons,omitempty"`
	Addresses           []Address         `json:"Addresses,omitempty"`
	Phones              []Phone           `json:"Phones,omitempty"`
	IsSupplier          bool              `json:"IsSupplier,omitempty"`
	IsCustomer          bool              `json:"IsCustomer,omitempty"`
	ContactGroups       []ContactGroup    `json:"ContactGroups,omitempty"`
	Website             string            `json:"Website,omitempty"`
	TaxNumber           string            `json:"TaxNumber,omitempty"`
	DefaultCurrency     string            `json:"DefaultCurrency,omitempty"`
	UpdatedDateUTC      string            `json:"UpdatedDateUTC,omitempty"` // "/Date(1503348544227+0000)/"
	MergedToContactID   string            `json:"MergedToContactID,omitempty"`
	HasAttachments      bool              `json:"HasAttachments,omitempty"`
	ValidationErrors    []ValidationError `json:"ValidationErrors,omitempty"`
	HasValidationErrors bool              `json:"HasValidationErrors,omitempty"`
}

// ContactPerson is one of up to five additional people on a contact.
type ContactPerson struct {
	FirstName       string `json:"FirstName,omitempty"`
	LastName        string `json:"LastName,omitempty"`
	EmailAddress    string `json:"EmailAddress,omitempty"`
	IncludeInEmails bool   `json:"IncludeInEmails,omitempty"`
}

// Address is a STREET or POBOX address.
type Address struct {
	AddressType  string `json:"AddressType,omitempty"`
	AddressLine1 string `json:"AddressLine1,omitempty"`
	AddressLine2 string `json:"AddressLine2,omitempty"`
	AddressLine3 string `json:"AddressLine3,omitempty"`
	AddressLine4 string `json:"AddressLine4,omitempty"`
	City         string `json:"City,omitempty"`
	Region       string `json:"Region,omitempty"`
	PostalCode   string `json:"PostalCode,omitempty"`
	Country      string `json:"Country,omitempty"`
	AttentionTo  string `json:"AttentionTo,omitempty"`
}

// Phone is a DEFAULT, DDI, MOBILE or FAX number.
type Phone struct {
	PhoneType        string `json:"PhoneType,omitempty"`
	PhoneNumber      string `json:"PhoneNumber,omitempty"`
	PhoneAreaCode    string `json:"PhoneAreaCode,omitempty"`
	PhoneCountryCode string `json:"PhoneCountryCode,omitempty"`
}

// ContactGroup as embedded in a contact.
type ContactGroup struct {
	ContactGroupID string `json:"ContactGroupID,omitempty"`
	Name           string `json:"Name,omitempty"`
	Status         string `json:"Status,omitempty"`
}

// Pagination is the envelope's paging block (present when page is given).
type Pagination struct {
	Page      int `json:"page"`
	PageSize  int `json:"pageSize"`
	PageCount int `json:"pageCount"`
	ItemCount int `json:"itemCount"`
}

// ValidationError is one of Xero's validation messages.
type ValidationError struct {
	Message string `json:"Message"`
}

// Contacts is the GET/POST /Contacts envelope.
type Contacts struct {
	ID           string      `json:"Id,omitempty"`
	Status       string      `json:"Status,omitempty"`
	ProviderName string      `json:"ProviderName,omitempty"`
	DateTimeUTC  string      `json:"DateTimeUTC,omitempty"` // "/Date(1551399323399)/": the server's clock
	Pagination   *Pagination `json:"pagination,omitempty"`
	Warnings     []struct {
		Message string `json:"Message"`
	} `json:"Warnings,omitempty"`
	Contacts []Contact `json:"Contacts"`
}

// AccountingError is the 400 body of the Accounting API (ErrorNumber 10 = validation).
type AccountingError struct {
	ErrorNumber int    `json:"ErrorNumber"`
	Type        string `json:"Type"`
	Message     string `json:"Message"`
	Elements    []struct {
		ValidationErrors []ValidationError `json:"ValidationErrors"`
	} `json:"Elements,omitempty"`
}

// FileObject is a file in Xero Files (xero_files.yaml FileObject).
type FileObject struct {
	ID             string `json:"Id"`
	Name           string `json:"Name"`
	MimeType       string `json:"MimeType,omitempty"`
	Size           int64  `json:"Size,omitempty"`
	CreatedDateUTC string `json:"CreatedDateUtc,omitempty"` // "2021-02-10T16:02:54.9930000"
	UpdatedDateUTC string `json:"UpdatedDateUtc,omitempty"`
	User           *User  `json:"User,omitempty"`
	FolderID       string `json:"FolderId,omitempty"`
}

// User is the Files API's uploader.
type User struct {
	ID        string `json:"Id,omitempty"`
	Name      string `json:"Name,omitempty"`
	FirstName string `json:"FirstName,omitempty"`
	LastName  string `json:"LastName,omitempty"`
	FullName  string `json:"FullName,omitempty"`
}

// Files is the GET /Files page (GET /Folders and GET /Associations/{ObjectId}
// answer bare JSON arrays instead).
type Files struct {
	TotalCount int          `json:"TotalCount"`
	Page       int          `json:"Page"`
	PerPage    int          `json:"PerPage"`
	Items      []FileObject `json:"Items"`
}

// Folder is a Files API folder; the Inbox has IsInbox.
type Folder struct {
	ID        string `json:"Id,omitempty"`
	Name      string `json:"Name"`
	FileCount int    `json:"FileCount,omitempty"`
	Email     string `json:"Email,omitempty"`
	IsInbox   bool   `json:"IsInbox,omitempty"`
}

// Association links a file to an object such as a contact.
type Association struct {
	FileID             string `json:"FileId,omitempty"`
	ObjectID           string `json:"ObjectId"`
	ObjectGroup        string `json:"ObjectGroup"` // "Contact"
	ObjectType         string `json:"ObjectType"`  // "Business" or "Person"
	SendWithObject     bool   `json:"SendWithObject,omitempty"`
	Name               string `json:"Name,omitempty"`
	Size               int64  `json:"Size,omitempty"`
	CreatedDateUTC     string `json:"CreatedDateUtc,omitempty"`     // the file's, Files timestamp form
	AssociationDateUTC string `json:"AssociationDateUtc,omitempty"` // Files timestamp form
}

// FilesError is one element of the Files API's 400 array body.
type FilesError struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Detail string `json:"detail"`
}

// Connection is one tenant the user granted (GET /connections).
type Connection struct {
	ID             string `json:"id"`
	AuthEventID    string `json:"authEventId"`
	TenantID       string `json:"tenantId"`
	TenantType     string `json:"tenantType"` // ORGANISATION, PRACTICEMANAGER, …
	TenantName     string `json:"tenantName"`
	CreatedDateUTC string `json:"createdDateUtc"`
	UpdatedDateUTC string `json:"updatedDateUtc"`
}

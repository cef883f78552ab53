package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	maxFileSize          = 10 << 20
	filesMaxPageSize     = 100
	filesDefaultPageSize = 50 // the spec's pagesize: example 50, maximum 100
)

// allowedExtensions are the file types Xero Files takes; anything else gets
// "Extension: X is not a valid File extension." (executables among them).
var allowedExtensions = map[string]bool{
	"7z": true, "bmp": true, "csv": true, "doc": true, "docx": true, "eml": true, "gif": true, "heic": true,
	"jpeg": true, "jpg": true, "key": true, "keynote": true, "msg": true, "numbers": true, "odf": true,
	"ods": true, "odt": true, "pages": true, "pdf": true, "png": true, "ppt": true, "pptx": true, "rar": true,
	"rtf": true, "tif": true, "tiff": true, "txt": true, "xls": true, "xlsm": true, "xlsx": true, "xml": true,
	"zip": true, "ofx": true, "qif": true, "webp": true,
}

type folder struct {
	ID, Name, Email string
	IsInbox         bool
}

type file struct {
	ID, Name, MimeType, FolderID string
	Size                         int
	SHA256                       string
	Created, Updated             time.Time
	data                         []byte
}

type association struct {
	FileID, ObjectID, ObjectGroup, ObjectType string
	Created                                   time.Time
}

var sandboxUser = map[string]string{"Id": "4ff1e5cc-9835-40d5-bb18-09fdb118db9c", "Name": "demo@example.com",
	"FirstName": "Demo", "LastName": "User", "FullName": "Demo User"}

func (f *file) wire() map[string]any {
	return map[string]any{"Name": f.Name, "MimeType": f.MimeType, "Size": f.Size,
		"CreatedDateUtc": filesTime(f.Created), "UpdatedDateUtc": filesTime(f.Updated),
		"User": sandboxUser, "FolderId": f.FolderID, "Id": f.ID}
}

func (t *tenant) folderWire(fo *folder) map[string]any {
	n := 0
	for _, f := range t.fileSeq {
		if f.FolderID == fo.ID {
			n++
		}
	}
	out := map[string]any{"Name": fo.Name, "FileCount": n, "IsInbox": fo.IsInbox, "Id": fo.ID}
	if fo.Email != "" {
		out["Email"] = fo.Email
	}
	return out
}

func (t *tenant) inbox() *folder {
	for _, fo := range t.folders {
		if fo.IsInbox {
			return fo
		}
	}
	return nil
}

func (t *tenant) folder(id string) *folder {
	for _, fo := range t.folders {
		if fo.ID == strings.ToLower(id) {
			return fo
		}
	}
	return nil
}

// filesError writes the Files API's error body: [{"type","title","detail"}].
func filesError(w http.ResponseWriter, status int, typ, detail string) {
	title := "Validation failure"
	switch status {
	case http.StatusNotFound:
		title = "Not found"
	case http.StatusConflict:
		title = "Conflict"
	case http.StatusNotImplemented:
		title = "Not Implemented"
	}
	writeJSON(w, status, []map[string]string{{"type": typ, "title": title, "detail": detail}})
}

func (s *Server) files(w http.ResponseWriter, r *http.Request, t *tenant, rel string) {
	p := strings.Split(strings.Trim(rel, "/"), "/")
	top := strings.ToLower(p[0])
	m := r.Method
	switch {
	case top == "files" && len(p) == 1 && m == http.MethodGet:
		s.listFiles(w, r, t)
	case top == "files" && len(p) == 1 && m == http.MethodPost:
		s.upload(w, r, t, "")
	case top == "files" && len(p) == 2 && m == http.MethodPost:
		s.upload(w, r, t, p[1])
	case top == "files" && len(p) == 2 && m == http.MethodGet:
		s.getFile(w, t, p[1])
	case top == "files" && len(p) == 2 && m == http.MethodPut:
		s.updateFile(w, r, t, p[1])
	case top == "files" && len(p) == 2 && m == http.MethodDelete:
		s.deleteFile(w, t, p[1])
	case top == "files" && len(p) == 3 && strings.EqualFold(p[2], "Content") && m == http.MethodGet:
		s.fileContent(w, t, p[1])
	case top == "files" && len(p) == 3 && strings.EqualFold(p[2], "Associations") && m == http.MethodGet:
		s.fileAssociations(w, t, p[1])
	case top == "files" && len(p) == 3 && strings.EqualFold(p[2], "Associations") && m == http.MethodPost:
		s.createAssociation(w, r, t, p[1])
	case top == "files" && len(p) == 4 && strings.EqualFold(p[2], "Associations") && m == http.MethodDelete:
		s.deleteAssociation(w, t, p[1], p[3])
	case top == "associations" && len(p) == 2 && strings.EqualFold(p[1], "Count") && m == http.MethodGet:
		s.associationCount(w, r, t)
	case top == "associations" && len(p) == 2 && m == http.MethodGet:
		s.objectAssociations(w, r, t, p[1])
	case top == "folders" && len(p) == 1 && m == http.MethodGet:
		s.listFolders(w, r, t)
	case top == "folders" && len(p) == 1 && m == http.MethodPost:
		s.createFolder(w, r, t)
	case top == "folders" && len(p) == 2 && m == http.MethodGet:
		s.getFolder(w, t, p[1])
	case top == "folders" && len(p) == 2 && m == http.MethodPut:
		s.updateFolder(w, r, t, p[1])
	case top == "folders" && len(p) == 2 && m == http.MethodDelete:
		s.deleteFolder(w, t, p[1])
	case top == "inbox" && len(p) == 1 && m == http.MethodGet:
		s.mu.Lock()
		out := t.folderWire(t.inbox())
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, out)
	case filesRoute(p):
		// A resource Xero has, with a method it does not (Xero's error table: 501).
		filesError(w, http.StatusNotImplemented, "NotImplemented", "The method has not been implemented")
	default:
		filesError(w, http.StatusNotFound, "NotFound", "The resource you're looking for cannot be found")
	}
}

// filesRoute reports whether p (the path's segments) is one of the Files
// API's resources, whatever the method.
func filesRoute(p []string) bool {
	top := strings.ToLower(p[0])
	sub := ""
	if len(p) > 2 {
		sub = strings.ToLower(p[2])
	}
	switch {
	case top == "files":
		return len(p) <= 2 || (len(p) == 3 && (sub == "content" || sub == "associations")) || (len(p) == 4 && sub == "associations")
	case top == "folders", top == "associations":
		return len(p) <= 2
	case top == "inbox":
		return len(p) == 1
	}
	return false
}

type upload struct {
	name, filename, mimeType string
	body                     []byte
	haveBody                 bool
}

var errTooLarge = errors.New("too large")

// readUpload reads the multipart form in every shape Xero's official SDKs
// send it (see sdk_upload_test.go, built from their source):
//
//   - Xero-NetStandard: fields "name", "filename", "mimeType" and the bytes
//     in a part named "body" with filename "no_name_provided";
//   - xero-node: fields "name", "filename", "mimeType" and the bytes in a part
//     named after the file itself ("invoice.pdf"), with a filename only when
//     a stream was given, not a Buffer;
//   - xero-python: one part only, named after filename, with name as its
//     filename and no content type.
//
// So the bytes are the part named "body" or, failing that, the one part that
// is none of the named fields; the names fall back to the bytes' part's
// filename. Only a form with no such part lacks the file body.
func readUpload(r *http.Request) (*upload, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, fmt.Errorf("The request must be multipart/form-data")
	}
	type formPart struct {
		field, filename, ctype string
		data                   []byte
	}
	var parts []formPart // the whole request is bounded by upload's MaxBytesReader
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("Malformed multipart body: %v", err)
		}
		data, err := io.ReadAll(io.LimitReader(part, maxFileSize+1))
		if err != nil {
			return nil, fmt.Errorf("Malformed multipart body: %v", err)
		}
		parts = append(parts, formPart{field: part.FormName(), filename: part.FileName(),
			ctype: part.Header.Get("Content-Type"), data: data})
	}
	u := &upload{}
	body := -1
	for i, p := range parts {
		switch {
		case p.field == "name":
			u.name = strings.TrimSpace(string(p.data))
		case p.field == "filename":
			u.filename = strings.TrimSpace(string(p.data))
		case strings.EqualFold(p.field, "mimeType"):
			u.mimeType = strings.TrimSpace(string(p.data))
		case p.field == "body":
			body = i
		case body < 0 || (parts[body].field != "body" && parts[body].filename == "" && p.filename != ""):
			body = i
		}
	}
	if body < 0 {
		return nil, fmt.Errorf("The file body is required")
	}
	bp := parts[body]
	if len(bp.data) > maxFileSize {
		return nil, errTooLarge
	}
	u.body, u.haveBody = bp.data, true
	// The names the bytes' part carries: NetStandard's is a placeholder
	// ("no_name_provided" for every MemoryStream); xero-node and xero-python
	// name the part itself after the file, and python puts name in filename.
	partFilename, partName := bp.filename, bp.filename
	if partFilename == "no_name_provided" || partFilename == "no_file_name_provided" {
		partFilename, partName = "", ""
	}
	if bp.field != "body" {
		partFilename = bp.field
		if partName == "" {
			partName = bp.field
		}
	}
	if u.filename == "" {
		u.filename = partFilename
	}
	if u.name == "" {
		u.name = partName
	}
	if u.name == "" {
		u.name = u.filename
	}
	if u.filename == "" {
		u.filename = u.name
	}
	if u.name == "" {
		return nil, fmt.Errorf("The file name is required")
	}
	if bt := bp.ctype; u.mimeType == "" && bt != "" && !strings.HasPrefix(bt, "application/octet-stream") {
		u.mimeType = bt
	}
	if u.mimeType == "" {
		u.mimeType = mime.TypeByExtension(path.Ext(u.name))
	}
	if u.mimeType == "" {
		u.mimeType = "application/octet-stream"
	}
	if i := strings.IndexByte(u.mimeType, ';'); i > 0 {
		u.mimeType = strings.TrimSpace(u.mimeType[:i])
	}
	return u, nil
}

func (s *Server) upload(w http.ResponseWriter, r *http.Request, t *tenant, folderID string) {
	r.Body = http.MaxBytesReader(nil, r.Body, maxFileSize+1<<20)
	u, err := readUpload(r)
	if errors.Is(err, errTooLarge) {
		filesError(w, http.StatusBadRequest, "Validation", "File size must be 10 MB or less")
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) || (err != nil && strings.Contains(err.Error(), "too large")) {
		filesError(w, http.StatusBadRequest, "Validation", "File size must be 10 MB or less")
		return
	}
	if err != nil {
		filesError(w, http.StatusBadRequest, "Validation", err.Error())
		return
	}
	sum := sha256.Sum256(u.body)
	digest := hex.EncodeToString(sum[:])
	s.idempotent(w, r, t, "upload\x00"+strings.ToLower(folderID)+"\x00"+u.name+"\x00"+u.filename+"\x00"+digest, func(w http.ResponseWriter) {
		for _, n := range []string{u.name, u.filename} {
			ext := strings.ToLower(strings.TrimPrefix(path.Ext(n), "."))
			if !allowedExtensions[ext] {
				filesError(w, http.StatusBadRequest, "Validation", fmt.Sprintf("Extension: %s is not a valid File extension.", ext))
				return
			}
		}
		if strings.ContainsAny(u.name, `\/:*?"<>|`) {
			filesError(w, http.StatusBadRequest, "Validation", "Name contains one or more bad characters")
			return
		}
		now := s.now()
		s.mu.Lock()
		defer s.mu.Unlock()
		fo := t.inbox()
		if folderID != "" {
			if fo = t.folder(folderID); fo == nil {
				filesError(w, http.StatusNotFound, "NotFound", "Folder not found")
				return
			}
		}
		f := &file{ID: s.newIDLocked(), Name: u.name, MimeType: u.mimeType, FolderID: fo.ID, Size: len(u.body),
			SHA256: digest, Created: now, Updated: now, data: u.body}
		t.files[f.ID] = f
		t.fileSeq = append(t.fileSeq, f)
		writeJSON(w, http.StatusCreated, f.wire())
	})
}

// pageParams reads the Files API's page (from 1) and pagesize (default 50,
// max 100).
func pageParams(r *http.Request) (page, size int) {
	q := r.URL.Query()
	page, _ = strconv.Atoi(q.Get("page"))
	size, _ = strconv.Atoi(q.Get("pagesize"))
	if size <= 0 {
		size, _ = strconv.Atoi(q.Get("pageSize"))
	}
	if size <= 0 {
		size = filesDefaultPageSize
	}
	return max(page, 1), min(size, filesMaxPageSize)
}

func sortDir(r *http.Request) bool { return strings.EqualFold(r.URL.Query().Get("direction"), "DESC") }

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request, t *tenant) {
	page, size := pageParams(r)
	s.mu.Lock()
	all := slices.Clone(t.fileSeq)
	s.mu.Unlock()
	key := strings.ToLower(r.URL.Query().Get("sort"))
	desc := sortDir(r)
	slices.SortStableFunc(all, func(a, b *file) int {
		var c int
		switch key {
		case "name":
			c = strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		case "size":
			c = a.Size - b.Size
		default:
			c = a.Created.Compare(b.Created)
		}
		if desc {
			c = -c
		}
		return c
	})
	lo := min((page-1)*size, len(all))
	items := []map[string]any{}
	for _, f := range all[lo:min(lo+size, len(all))] {
		items = append(items, f.wire())
	}
	writeJSON(w, http.StatusOK, map[string]any{"TotalCount": len(all), "Page": page, "PerPage": size, "Items": items})
}

func (s *Server) getFile(w http.ResponseWriter, t *tenant, id string) {
	s.mu.Lock()
	f := t.files[strings.ToLower(id)]
	s.mu.Unlock()
	if f == nil {
		filesError(w, http.StatusNotFound, "NotFound", "File not found")
		return
	}
	writeJSON(w, http.StatusOK, f.wire())
}

func (s *Server) fileContent(w http.ResponseWriter, t *tenant, id string) {
	s.mu.Lock()
	f := t.files[strings.ToLower(id)]
	s.mu.Unlock()
	if f == nil {
		filesError(w, http.StatusNotFound, "NotFound", "File not found")
		return
	}
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.Name}))
	// The spec declares application/octet-stream for content, whatever the file.
	writeRaw(w, http.StatusOK, "application/octet-stream", f.data)
}

func (s *Server) updateFile(w http.ResponseWriter, r *http.Request, t *tenant, id string) {
	var in struct {
		Name     *string `json:"Name"`
		FolderID *string `json:"FolderId"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil {
		filesError(w, http.StatusBadRequest, "Validation", "Invalid JSON body")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := t.files[strings.ToLower(id)]
	if f == nil {
		filesError(w, http.StatusNotFound, "NotFound", "File not found")
		return
	}
	next := *f
	if in.Name != nil {
		next.Name = *in.Name
	}
	if in.FolderID != nil {
		if t.folder(*in.FolderID) == nil {
			filesError(w, http.StatusBadRequest, "Validation", "Folder not found")
			return
		}
		next.FolderID = strings.ToLower(*in.FolderID)
	}
	next.Updated = s.nowLocked(s.offset)
	t.replaceFile(&next)
	writeJSON(w, http.StatusOK, next.wire())
}

func (t *tenant) replaceFile(f *file) {
	t.files[f.ID] = f
	for i, old := range t.fileSeq {
		if old.ID == f.ID {
			t.fileSeq[i] = f
		}
	}
}

func (s *Server) deleteFile(w http.ResponseWriter, t *tenant, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := t.files[strings.ToLower(id)]
	if f == nil {
		filesError(w, http.StatusNotFound, "NotFound", "File not found")
		return
	}
	delete(t.files, f.ID)
	t.fileSeq = slices.DeleteFunc(t.fileSeq, func(x *file) bool { return x.ID == f.ID })
	t.assocs = slices.DeleteFunc(t.assocs, func(a *association) bool { return a.FileID == f.ID })
	w.WriteHeader(http.StatusNoContent)
}

var objectGroups = map[string]bool{"Account": true, "BankTransaction": true, "Contact": true, "CreditNote": true,
	"Invoice": true, "Item": true, "ManualJournal": true, "Overpayment": true, "Payment": true, "Prepayment": true,
	"Quote": true, "Receipt": true}

func (s *Server) createAssociation(w http.ResponseWriter, r *http.Request, t *tenant, fileID string) {
	raw, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	var in struct {
		ObjectID    string `json:"ObjectId"`
		ObjectGroup string `json:"ObjectGroup"`
		ObjectType  string `json:"ObjectType"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		filesError(w, http.StatusBadRequest, "Validation", "Invalid JSON body")
		return
	}
	objectID := strings.ToLower(in.ObjectID)
	fileID = strings.ToLower(fileID)
	s.idempotent(w, r, t, "assoc\x00"+fileID+"\x00"+objectID+"\x00"+in.ObjectGroup+"\x00"+in.ObjectType, func(w http.ResponseWriter) {
		if !isUUID(objectID) {
			filesError(w, http.StatusBadRequest, "Validation", "ObjectId is required and must be a GUID")
			return
		}
		if !objectGroups[in.ObjectGroup] {
			filesError(w, http.StatusBadRequest, "Validation", "ObjectGroup is not valid")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		if t.files[fileID] == nil {
			filesError(w, http.StatusNotFound, "NotFound", "File not found")
			return
		}
		if in.ObjectGroup == "Contact" {
			c := t.contacts[objectID]
			if c == nil {
				filesError(w, http.StatusBadRequest, "Validation", "Object is not a Contact")
				return
			}
			if in.ObjectType != "Business" && in.ObjectType != "Person" && in.ObjectType != "Contact" {
				filesError(w, http.StatusBadRequest, "Validation", "ObjectType is not valid for a Contact")
				return
			}
		}
		// Associating the same file with the same object again creates
		// nothing new: the existing association is returned.
		for _, a := range t.assocs {
			if a.FileID == fileID && a.ObjectID == objectID {
				writeJSON(w, http.StatusCreated, a.wire(false, nil))
				return
			}
		}
		a := &association{FileID: fileID, ObjectID: objectID, ObjectGroup: in.ObjectGroup, ObjectType: in.ObjectType,
			Created: s.nowLocked(s.offset)}
		// Contact.HasAttachments is about Accounting attachments, not Files
		// associations, so the contact is left as it is.
		t.assocs = append(t.assocs, a)
		writeJSON(w, http.StatusCreated, a.wire(false, nil))
	})
}

func (a *association) wire(full bool, f *file) map[string]any {
	out := map[string]any{"FileId": a.FileID, "ObjectId": a.ObjectID, "ObjectType": a.ObjectType, "ObjectGroup": a.ObjectGroup}
	if full && f != nil {
		out["SendWithObject"] = false
		out["Name"] = f.Name
		out["Size"] = f.Size
		out["CreatedDateUtc"] = filesTime(f.Created)
		out["AssociationDateUtc"] = filesTime(a.Created)
	}
	return out
}

func (s *Server) fileAssociations(w http.ResponseWriter, t *tenant, fileID string) {
	fileID = strings.ToLower(fileID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if t.files[fileID] == nil {
		filesError(w, http.StatusNotFound, "NotFound", "File not found")
		return
	}
	out := []map[string]any{}
	for _, a := range t.assocs {
		if a.FileID == fileID {
			out = append(out, a.wire(false, nil))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) deleteAssociation(w http.ResponseWriter, t *tenant, fileID, objectID string) {
	fileID, objectID = strings.ToLower(fileID), strings.ToLower(objectID)
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(t.assocs)
	t.assocs = slices.DeleteFunc(t.assocs, func(a *association) bool { return a.FileID == fileID && a.ObjectID == objectID })
	if len(t.assocs) == n {
		filesError(w, http.StatusNotFound, "NotFound", "Association not found")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) objectAssociations(w http.ResponseWriter, r *http.Request, t *tenant, objectID string) {
	objectID = strings.ToLower(objectID)
	page, size := pageParams(r)
	type pair struct {
		a *association
		f *file
	}
	s.mu.Lock()
	var all []pair
	for _, a := range t.assocs {
		if a.ObjectID == objectID {
			all = append(all, pair{a, t.files[a.FileID]})
		}
	}
	s.mu.Unlock()
	key, desc := strings.ToLower(r.URL.Query().Get("sort")), sortDir(r)
	slices.SortStableFunc(all, func(x, y pair) int {
		var c int
		switch key {
		case "name":
			c = strings.Compare(strings.ToLower(x.f.Name), strings.ToLower(y.f.Name))
		case "size":
			c = x.f.Size - y.f.Size
		case "associationdateutc":
			c = x.a.Created.Compare(y.a.Created)
		default:
			c = x.f.Created.Compare(y.f.Created)
		}
		if desc {
			c = -c
		}
		return c
	})
	lo := min((page-1)*size, len(all))
	out := []map[string]any{}
	for _, p := range all[lo:min(lo+size, len(all))] {
		out = append(out, p.a.wire(true, p.f))
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) associationCount(w http.ResponseWriter, r *http.Request, t *tenant) {
	var ids []string
	for _, v := range r.URL.Query()["ObjectIds"] {
		for _, id := range strings.Split(v, ",") {
			if id = strings.ToLower(strings.TrimSpace(id)); id != "" {
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		filesError(w, http.StatusBadRequest, "Validation", "ObjectIds is required")
		return
	}
	out := map[string]int{}
	s.mu.Lock()
	for _, id := range ids {
		out[id] = 0
	}
	for _, a := range t.assocs {
		if _, ok := out[a.ObjectID]; ok {
			out[a.ObjectID]++
		}
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) listFolders(w http.ResponseWriter, r *http.Request, t *tenant) {
	s.mu.Lock()
	out := []map[string]any{}
	for _, fo := range t.folders {
		out = append(out, t.folderWire(fo))
	}
	s.mu.Unlock()
	if strings.HasPrefix(strings.ToLower(r.URL.Query().Get("sort")), "name") {
		slices.SortStableFunc(out, func(a, b map[string]any) int {
			return strings.Compare(strings.ToLower(a["Name"].(string)), strings.ToLower(b["Name"].(string)))
		})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) getFolder(w http.ResponseWriter, t *tenant, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fo := t.folder(id)
	if fo == nil {
		filesError(w, http.StatusNotFound, "NotFound", "Folder not found")
		return
	}
	writeJSON(w, http.StatusOK, t.folderWire(fo))
}

func folderName(r *http.Request) (string, []byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return "", nil, err
	}
	var in struct {
		Name string `json:"Name"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(raw), &in); err != nil {
		return "", raw, fmt.Errorf("Invalid JSON body")
	}
	name := strings.TrimSpace(in.Name)
	if name == "" {
		return "", raw, fmt.Errorf("Name is required")
	}
	if strings.ContainsAny(name, `\/:*?"<>|`) {
		return "", raw, fmt.Errorf("Name contains one or more bad characters")
	}
	return name, raw, nil
}

func (s *Server) createFolder(w http.ResponseWriter, r *http.Request, t *tenant) {
	name, _, err := folderName(r)
	if err != nil {
		filesError(w, http.StatusBadRequest, "Validation", err.Error())
		return
	}
	s.idempotent(w, r, t, "folder\x00"+name, func(w http.ResponseWriter) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, fo := range t.folders {
			if strings.EqualFold(fo.Name, name) {
				filesError(w, http.StatusBadRequest, "Validation", "A folder with this name already exists")
				return
			}
		}
		fo := &folder{ID: s.newIDLocked(), Name: name}
		t.folders = append(t.folders, fo)
		writeJSON(w, http.StatusOK, t.folderWire(fo))
	})
}

func (s *Server) updateFolder(w http.ResponseWriter, r *http.Request, t *tenant, id string) {
	name, _, err := folderName(r)
	if err != nil {
		filesError(w, http.StatusBadRequest, "Validation", err.Error())
		return
	}
	s.idempotent(w, r, t, "folder-update\x00"+strings.ToLower(id)+"\x00"+name, func(w http.ResponseWriter) {
		s.mu.Lock()
		defer s.mu.Unlock()
		fo := t.folder(id)
		switch {
		case fo == nil:
			filesError(w, http.StatusNotFound, "NotFound", "Folder not found")
		case fo.IsInbox:
			filesError(w, http.StatusBadRequest, "Validation", "The Inbox cannot be renamed")
		default:
			fo.Name = name
			writeJSON(w, http.StatusOK, t.folderWire(fo))
		}
	})
}

func (s *Server) deleteFolder(w http.ResponseWriter, t *tenant, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fo := t.folder(id)
	switch {
	case fo == nil:
		filesError(w, http.StatusNotFound, "NotFound", "Folder not found")
	case fo.IsInbox:
		filesError(w, http.StatusBadRequest, "Validation", "The Inbox cannot be deleted")
	default:
		t.folders = slices.DeleteFunc(t.folders, func(x *folder) bool { return x == fo })
		w.WriteHeader(http.StatusNoContent)
	}
}

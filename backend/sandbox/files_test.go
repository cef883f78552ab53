package sandbox

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"strings"
	"testing"
	"time"
)

type fileObj struct {
	Name, MimeType, CreatedDateUtc, UpdatedDateUtc, FolderId, Id string
	Size                                                         int
}

// multipartUpload builds an upload the way an SDK might: style picks how the
// body part is encoded and in which order the fields come.
func multipartUpload(t testing.TB, style, name string, data []byte) (*bytes.Buffer, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	field := func(k, v string) { _ = mw.WriteField(k, v) }
	body := func(withFilename bool, ctype string) {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="body"`
		if withFilename {
			cd += fmt.Sprintf(`; filename="%s"`, name)
		}
		h.Set("Content-Disposition", cd)
		if ctype != "" {
			h.Set("Content-Type", ctype)
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	switch style {
	case "node": // file part with filename and type first, then the fields
		body(true, "application/pdf")
		field("name", name)
		field("filename", name)
		field("mimeType", "application/pdf")
	case "python": // fields first, body as a file tuple
		field("name", name)
		field("filename", name)
		field("mimeType", "application/pdf")
		body(true, "application/octet-stream")
	case "netstandard": // body stream without filename or type
		field("name", name)
		body(false, "")
		field("filename", name)
	case "bodyonly": // only the file part: names come from it
		body(true, "")
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (e *env) upload(path, style, name string, data []byte, hdr ...string) (int, fileObj, string) {
	e.t.Helper()
	buf, ctype := multipartUpload(e.t, style, name, data)
	var out fileObj
	resp, raw := e.call("POST", path, e.org, buf, nil, append(hdr, "Content-Type", ctype)...)
	if resp.StatusCode == 201 {
		if err := jsonUnmarshal(raw, &out); err != nil {
			e.t.Fatal(err)
		}
	}
	return resp.StatusCode, out, string(raw)
}

func TestUploadStylesOfTheSDKs(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	inbox := e.s.Files(e.org) // empty
	if len(inbox) != 0 {
		t.Fatal("demo starts with files")
	}
	for _, style := range []string{"node", "python", "netstandard", "bodyonly"} {
		data := []byte("%PDF-1.4 " + style)
		status, f, raw := e.upload("/files.xro/1.0/Files", style, style+" Statement.pdf", data)
		if status != 201 {
			t.Fatalf("%s: %d %s", style, status, raw)
		}
		if f.Name != style+" Statement.pdf" || f.Size != len(data) || !isUUID(f.Id) || !isUUID(f.FolderId) {
			t.Errorf("%s: file object %+v", style, f)
		}
		if f.MimeType != "application/pdf" {
			t.Errorf("%s: mime type %q", style, f.MimeType)
		}
		if !filesTimeRE.MatchString(f.CreatedDateUtc) {
			t.Errorf("%s: CreatedDateUtc %q", style, f.CreatedDateUtc)
		}
		content, ok := e.s.FileContent(e.org, f.Id)
		if !ok || !bytes.Equal(content, data) {
			t.Errorf("%s: stored bytes differ", style)
		}
	}
}

func TestUploadValidation(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	status, _, raw := e.upload("/files.xro/1.0/Files", "node", "setup.exe", []byte("MZ"))
	if status != 400 || !strings.Contains(raw, `"Extension: exe is not a valid File extension."`) || !strings.Contains(raw, `"type":"Validation"`) {
		t.Errorf("exe: %d %s", status, raw)
	}
	status, _, raw = e.upload("/files.xro/1.0/Files", "node", "big.pdf", bytes.Repeat([]byte("x"), 10<<20+1))
	if status != 400 || !strings.Contains(raw, "10 MB") {
		t.Errorf("over 10 MB: %d %s", status, raw)
	}
	if status, _, raw := e.upload("/files.xro/1.0/Files", "node", "exactly.pdf", bytes.Repeat([]byte("x"), 10<<20)); status != 201 {
		t.Errorf("exactly 10 MB: %d %s", status, raw)
	}
	resp, _ := e.call("POST", "/files.xro/1.0/Files", e.org, strings.NewReader("{}"), nil, "Content-Type", "application/json")
	if resp.StatusCode != 400 {
		t.Errorf("non-multipart: %d", resp.StatusCode)
	}
	if status, _, _ := e.upload("/files.xro/1.0/Files/00000000-0000-4000-8000-000000000000", "node", "a.pdf", []byte("x")); status != 404 {
		t.Errorf("unknown folder: %d", status)
	}
}

func TestUploadIdempotencyKey(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	data := []byte("receipt")
	s1, f1, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", "key-1")
	// A retry re-encodes the multipart form (new boundary, other field order): still the same request.
	s2, f2, _ := e.upload("/files.xro/1.0/Files", "python", "r.pdf", data, "Idempotency-Key", "key-1")
	if s1 != 201 || s2 != 201 || f1.Id != f2.Id {
		t.Fatalf("replay: %d %d %s %s", s1, s2, f1.Id, f2.Id)
	}
	if n := len(e.s.Files(e.org)); n != 1 {
		t.Fatalf("%d files stored, want 1", n)
	}
	s3, _, raw := e.upload("/files.xro/1.0/Files", "node", "r.pdf", []byte("other bytes"), "Idempotency-Key", "key-1")
	if s3 != 422 {
		t.Errorf("same key, different body: %d %s", s3, raw)
	}
	if s4, _, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", strings.Repeat("k", 129)); s4 != 400 {
		t.Errorf("129-char key: %d", s4)
	}
	if s5, f5, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data); s5 != 201 || f5.Id == f1.Id {
		t.Errorf("no key uploads again: %d", s5)
	}
}

// TestIdempotencyKeysForgotten: after its retention, or ForgetIdempotencyKeys,
// a repeat of an upload is a new upload, as a Xero that forgot the key would make it.
func TestIdempotencyKeysForgotten(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true, IdempotencyRetention: 10 * time.Minute})
	data := []byte("receipt")
	_, f1, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", "key-1")
	e.s.Advance(9 * time.Minute)
	if _, f2, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", "key-1"); f2.Id != f1.Id {
		t.Fatalf("replay within the retention made file %s, want %s", f2.Id, f1.Id)
	}
	e.s.Advance(time.Minute)
	_, f3, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", "key-1")
	if f3.Id == "" || f3.Id == f1.Id {
		t.Fatalf("repeat after the retention = %q, want a new file", f3.Id)
	}
	if n := e.s.ForgetIdempotencyKeys(); n != 1 {
		t.Errorf("forgot %d keys, want 1", n)
	}
	_, f4, _ := e.upload("/files.xro/1.0/Files", "node", "r.pdf", data, "Idempotency-Key", "key-1")
	if f4.Id == "" || f4.Id == f3.Id {
		t.Fatalf("repeat after ForgetIdempotencyKeys = %q, want a new file", f4.Id)
	}
	if n := len(e.s.Files(e.org)); n != 3 {
		t.Errorf("%d files stored, want 3", n)
	}
}

var filesTimeRE = regexpMust(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}$`)

func TestFoldersListsAndAssociations(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	var inbox map[string]any
	e.call("GET", "/files.xro/1.0/Inbox", e.org, nil, &inbox)
	if inbox["IsInbox"] != true || inbox["Name"] != "Inbox" || !strings.HasSuffix(inbox["Email"].(string), "@xerofiles.com") {
		t.Fatalf("inbox %v", inbox)
	}
	var folder map[string]any
	resp, _ := e.call("POST", "/files.xro/1.0/Folders", e.org, map[string]string{"Name": "Client Docs"}, &folder)
	if resp.StatusCode != 200 || folder["IsInbox"] != false {
		t.Fatalf("create folder: %d %v", resp.StatusCode, folder)
	}
	if resp, _ := e.call("POST", "/files.xro/1.0/Folders", e.org, map[string]string{"Name": "Bad/Name"}, nil); resp.StatusCode != 400 {
		t.Errorf("bad folder name: %d", resp.StatusCode)
	}
	folderID := folder["Id"].(string)
	status, f, _ := e.upload("/files.xro/1.0/Files/"+folderID, "node", "a.pdf", []byte("a"))
	if status != 201 || f.FolderId != folderID {
		t.Fatalf("upload to folder: %d %+v", status, f)
	}
	var folders []map[string]any
	e.call("GET", "/files.xro/1.0/Folders", e.org, nil, &folders)
	count := -1.0
	for _, fo := range folders {
		if fo["Id"] == folderID {
			count = fo["FileCount"].(float64)
		}
	}
	if count != 1 {
		t.Errorf("FileCount %v", count)
	}
	for i := 0; i < 4; i++ {
		e.upload("/files.xro/1.0/Files", "node", fmt.Sprintf("f%d.pdf", i), bytes.Repeat([]byte("z"), i+1))
	}
	var list struct {
		TotalCount, Page, PerPage int
		Items                     []fileObj
	}
	e.call("GET", "/files.xro/1.0/Files?pagesize=2&page=2&sort=Size&direction=DESC", e.org, nil, &list)
	if list.TotalCount != 5 || list.PerPage != 2 || len(list.Items) != 2 || list.Items[0].Size < list.Items[1].Size {
		t.Errorf("files page: %+v", list)
	}

	contact := e.s.Contacts(e.org)[0]
	var assoc map[string]any
	resp, _ = e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
		map[string]string{"ObjectId": contact.ContactID, "ObjectGroup": "Contact", "ObjectType": "Business"}, &assoc)
	if resp.StatusCode != 201 || assoc["FileId"] != f.Id || assoc["ObjectId"] != contact.ContactID {
		t.Fatalf("associate: %d %v", resp.StatusCode, assoc)
	}
	// Again: no second association.
	e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
		map[string]string{"ObjectId": contact.ContactID, "ObjectGroup": "Contact", "ObjectType": "Business"}, nil)
	if got := e.s.FilesFor(e.org, contact.ContactID); len(got) != 1 || got[0].ID != f.Id || got[0].SHA256 != sha("a") {
		t.Errorf("FilesFor = %+v", got)
	}
	if resp, _ := e.call("POST", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org,
		map[string]string{"ObjectId": "00000000-0000-4000-8000-000000000001", "ObjectGroup": "Contact", "ObjectType": "Business"}, nil); resp.StatusCode != 400 {
		t.Errorf("unknown contact: %d", resp.StatusCode)
	}
	var byObject []map[string]any
	e.call("GET", "/files.xro/1.0/Associations/"+contact.ContactID+"?pagesize=100", e.org, nil, &byObject)
	if len(byObject) != 1 || byObject[0]["Name"] != "a.pdf" || byObject[0]["Size"].(float64) != 1 {
		t.Errorf("by object: %v", byObject)
	}
	var perFile []map[string]any
	e.call("GET", "/files.xro/1.0/Files/"+f.Id+"/Associations", e.org, nil, &perFile)
	if len(perFile) != 1 {
		t.Errorf("per file: %v", perFile)
	}
	other := e.s.Contacts(e.org)[1].ContactID
	var counts map[string]int
	e.call("GET", "/files.xro/1.0/Associations/Count?ObjectIds="+contact.ContactID+","+other, e.org, nil, &counts)
	if counts[contact.ContactID] != 1 || counts[other] != 0 || len(counts) != 2 {
		t.Errorf("counts %v", counts)
	}
	if resp, _ := e.call("DELETE", "/files.xro/1.0/Files/"+f.Id+"/Associations/"+contact.ContactID, e.org, nil, nil); resp.StatusCode != 204 {
		t.Errorf("delete association: %d", resp.StatusCode)
	}
	if len(e.s.Associations(e.org)) != 0 {
		t.Errorf("association survived delete")
	}
}

func sha(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// What reached Xero Files, read from outside (an e2e driving the app's demo
// Xero): the stored files and their associations, [] when there are none.
func TestControlListsFiles(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	read := func(tenant string) (int, string) {
		resp, err := e.c.Get(e.base + "/_sandbox/files?tenant=" + tenant)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	if status, raw := read(e.org); status != 200 || strings.TrimSpace(raw) != `{"files":[],"associations":[]}` {
		t.Fatalf("no files yet: %d %q", status, raw)
	}
	if status, _, raw := e.upload("/files.xro/1.0/Files", "node", "Bank Statement.pdf", []byte("%PDF-1.4 x")); status != 201 {
		t.Fatalf("upload: %d %s", status, raw)
	}
	if status, raw := read(e.org); status != 200 || !strings.Contains(raw, `"Name":"Bank Statement.pdf"`) {
		t.Fatalf("after an upload: %d %s", status, raw)
	}
	if status, raw := read(e.org2); status != 200 || strings.Contains(raw, "Bank Statement") {
		t.Fatalf("another organisation's files: %d %s", status, raw)
	}
	if status, _ := read("no-such-tenant"); status != 404 {
		t.Fatalf("an unknown tenant: %d, want 404", status)
	}
}

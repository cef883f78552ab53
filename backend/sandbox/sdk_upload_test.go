package sandbox

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// The multipart bodies Xero's official SDKs send for Files uploads, byte for
// byte, as their source builds them (not as our client does):
//
//   - xero-node (src/gen/api/filesApi.ts uploadFile/uploadFileToFolder):
//     localVarFormParams gets name, filename, mimeType, then `delete
//     localVarFormParams['body']; localVarFormParams[name] = body`, so the
//     bytes go in a part named after the file. axios turns the object into
//     form-data's FormData: strings get only a Content-Disposition; a Buffer
//     gets no filename and Content-Type application/octet-stream; an
//     fs.ReadStream gets filename = basename(path) and the type looked up from
//     it. Boundary: 26 dashes and 24 digits; every part ends with CRLF.
//   - xero-python (xero_python/file/api/files_api.py + rest.py): the
//     multipart branch sends only `fields = {post_params[2][1]:
//     (post_params[1][1], body, None)}`: one part named after filename, with
//     name as its filename and no Content-Type, boundary "-----boundary".
//   - Xero-NetStandard (Xero.NetStandard.OAuth2/Api/FilesApi.cs,
//     Client/FileParameter.cs): FormParameters name, filename, mimeType as
//     StringContent (text/plain; charset=utf-8), then FileParameters "body"
//     from a MemoryStream, whose FileParameter is named "no_name_provided"
//     with type application/octet-stream; .NET writes token values unquoted,
//     adds filename*, and quotes the boundary in the header.
type sdkForm struct {
	sdk, contentType, body string
	name                   string // the FileObject Name Xero should store
	mime                   string // the MimeType it should store
}

func sdkForms(data string) []sdkForm {
	const nb = "--------------------------848208413722961590376520" // form-data: 26 dashes + 24 digits
	node := func(file string, mimeType bool) string {
		b := "--" + nb + "\r\n" +
			"Content-Disposition: form-data; name=\"name\"\r\n\r\n" + "Invoice 7.pdf" + "\r\n" +
			"--" + nb + "\r\n" +
			"Content-Disposition: form-data; name=\"filename\"\r\n\r\n" + "Invoice 7.pdf" + "\r\n"
		if mimeType {
			b += "--" + nb + "\r\n" +
				"Content-Disposition: form-data; name=\"mimeType\"\r\n\r\n" + "application/pdf" + "\r\n"
		}
		return b + "--" + nb + "\r\n" + file + "\r\n\r\n" + data + "\r\n" + "--" + nb + "--\r\n"
	}
	const pb = "-----boundary"
	const db = "---------8C2E5F0A-4B7D-4E15-9A3C-2F6D1B0E7A94"
	// .NET writes "\r\n--boundary" after every part but the first delimiter.
	dotnet := func(field, value string) string {
		return "--" + db + "\r\n" +
			"Content-Type: text/plain; charset=utf-8\r\n" +
			"Content-Disposition: form-data; name=" + field + "\r\n\r\n" + value + "\r\n"
	}
	return []sdkForm{
		{sdk: "xero-node Buffer", contentType: "multipart/form-data; boundary=" + nb,
			body: node("Content-Disposition: form-data; name=\"Invoice 7.pdf\"\r\n"+
				"Content-Type: application/octet-stream", true),
			name: "Invoice 7.pdf", mime: "application/pdf"},
		{sdk: "xero-node Buffer without mimeType", contentType: "multipart/form-data; boundary=" + nb,
			body: node("Content-Disposition: form-data; name=\"Invoice 7.pdf\"\r\n"+
				"Content-Type: application/octet-stream", false),
			name: "Invoice 7.pdf", mime: "application/pdf"},
		{sdk: "xero-node fs.ReadStream", contentType: "multipart/form-data; boundary=" + nb,
			body: node("Content-Disposition: form-data; name=\"Invoice 7.pdf\"; filename=\"scan-0001.pdf\"\r\n"+
				"Content-Type: application/pdf", true),
			name: "Invoice 7.pdf", mime: "application/pdf"},
		{sdk: "xero-python", contentType: "multipart/form-data; boundary=" + pb,
			body: "--" + pb + "\r\n" +
				"Content-Disposition: form-data; name=\"Invoice 7.pdf\"; filename=\"Invoice 7.pdf\"\r\n\r\n" +
				data + "\r\n" + "--" + pb + "--\r\n",
			name: "Invoice 7.pdf", mime: "application/pdf"},
		{sdk: "Xero-NetStandard", contentType: "multipart/form-data; boundary=\"" + db + "\"",
			body: dotnet("name", "Invoice7.pdf") + dotnet("filename", "Invoice7.pdf") + dotnet("mimeType", "application/pdf") +
				"--" + db + "\r\n" +
				"Content-Type: application/octet-stream\r\n" +
				"Content-Disposition: form-data; name=body; filename=no_name_provided; filename*=utf-8''no_name_provided\r\n\r\n" +
				data + "\r\n--" + db + "--\r\n",
			name: "Invoice7.pdf", mime: "application/pdf"},
	}
}

func TestUploadAcceptsEveryOfficialSDKForm(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	var folderID string
	{
		resp, raw := e.call("POST", "/files.xro/1.0/Folders", e.org, strings.NewReader(`{"Name":"SDK forms"}`), nil,
			"Content-Type", "application/json")
		var fo struct{ Id string }
		if resp.StatusCode != 200 || json.Unmarshal(raw, &fo) != nil {
			t.Fatalf("create folder: %d %s", resp.StatusCode, raw)
		}
		folderID = fo.Id
	}
	for i, f := range sdkForms("%PDF-1.4 form") {
		for _, path := range []string{"/files.xro/1.0/Files", "/files.xro/1.0/Files/" + folderID} {
			resp, raw := e.call("POST", path, e.org, strings.NewReader(f.body), nil, "Content-Type", f.contentType)
			if resp.StatusCode != 201 {
				t.Errorf("%s to %s: %d %s", f.sdk, path, resp.StatusCode, raw)
				continue
			}
			var obj fileObj
			if err := json.Unmarshal(raw, &obj); err != nil {
				t.Fatal(err)
			}
			if obj.Name != f.name || obj.MimeType != f.mime || obj.Size != len("%PDF-1.4 form") {
				t.Errorf("%s (%d): stored %+v, want name %q type %q", f.sdk, i, obj, f.name, f.mime)
			}
			if content, ok := e.s.FileContent(e.org, obj.Id); !ok || !bytes.Equal(content, []byte("%PDF-1.4 form")) {
				t.Errorf("%s: stored bytes %q", f.sdk, content)
			}
		}
	}
}

// Only a form that really has no file part lacks the body, in Xero's words.
func TestUploadWithoutFilePartIsRefused(t *testing.T) {
	e := newEnv(t, Options{DisableLimits: true})
	const b = "xyz"
	body := "--" + b + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\na.pdf\r\n" +
		"--" + b + "\r\nContent-Disposition: form-data; name=\"filename\"\r\n\r\na.pdf\r\n" +
		"--" + b + "\r\nContent-Disposition: form-data; name=\"mimeType\"\r\n\r\napplication/pdf\r\n--" + b + "--\r\n"
	resp, raw := e.call("POST", "/files.xro/1.0/Files", e.org, strings.NewReader(body), nil,
		"Content-Type", "multipart/form-data; boundary="+b)
	if resp.StatusCode != 400 || !strings.Contains(string(raw), `"detail":"The file body is required"`) {
		t.Fatalf("no file part: %d %s", resp.StatusCode, raw)
	}
}

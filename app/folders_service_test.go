package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"chase.md/backend/config"
	"chase.md/backend/core"
	"chase.md/backend/watch"
)

// demoFolders is a synced demo practice of 200 contacts (so it holds
// look-alike names) with a short watcher quiet period.
func demoFolders(t *testing.T) (*App, *core.Session, string) {
	t.Helper()
	old := watch.DefaultQuiet
	watch.DefaultQuiet = 150 * time.Millisecond
	t.Cleanup(func() { watch.DefaultQuiet = old })
	a := newTestApp(t, config.Config{Demo: true, DemoContacts: 200}, Options{})
	deadline := time.Now().Add(time.Minute)
	for {
		found, err := a.Folders.FindClients("", "", 5)
		if err == nil && len(found) > 0 {
			ctx, c, done, err := a.backend()
			if err != nil {
				t.Fatal(err)
			}
			done() // the test only needs the session, not to hold it open
			tenant, err := uploadTenant(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			return a, c, tenant
		}
		if time.Now().After(deadline) {
			t.Fatalf("the demo practice never synced: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func eventually(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

var lookAlikeKey = strings.NewReplacer("&", " and ", ".", " ", "'", "", ",", " ")

// lookAlikes finds two demo clients whose names differ only in "&"/"and" or
// "Ltd"/"Limited" and the like.
func lookAlikes(t *testing.T, a *App) (ClientChoice, ClientChoice) {
	t.Helper()
	all, err := a.Folders.FindClients("", "", 200)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]ClientChoice{}
	for _, c := range all {
		var words []string
		for _, w := range strings.Fields(strings.ToLower(lookAlikeKey.Replace(c.Name))) {
			if w != "ltd" && w != "limited" && w != "pty" {
				words = append(words, w)
			}
		}
		key := strings.Join(words, " ")
		if o, ok := seen[key]; ok {
			return o, c
		}
		seen[key] = c
	}
	t.Fatal("the demo practice has no look-alike names")
	return ClientChoice{}, ClientChoice{}
}

// A document saved in a sub-folder named after a client is filed to that
// client in the demo Xero and moved into Filed/<client>/; the folder lists
// as watching with the count; removing it leaves the files alone.
func TestFoldersFilesBySubfolder(t *testing.T) {
	a, c, tenant := demoFolders(t)
	client, err := a.Folders.FindClients("", "", 1)
	if err != nil || len(client) != 1 {
		t.Fatalf("find a client: %+v %v", client, err)
	}
	cl := client[0]
	dir := t.TempDir()
	if _, err := a.Folders.AddFolder("", "", "", ""); err == nil {
		t.Error("a folder without a path was accepted")
	}
	if _, err := a.Folders.AddFolder(dir, "fixed", "", ""); err == nil || toUIError(err).Code != "invalid_input" {
		t.Errorf("fixed mode without a client: %v", err)
	}
	f, err := a.Folders.AddFolder(dir, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if f.Mode != "auto" || f.After != "move" || f.TenantID != tenant || f.Organisation == "" {
		t.Fatalf("added folder = %+v, want auto/move for the main organisation, named", f)
	}
	if _, err := a.Folders.AddFolder(dir, "", "", ""); err == nil || !strings.Contains(toUIError(err).Message, "already watched") {
		t.Errorf("the same folder twice: %v", err)
	}

	eventually(t, "watching", func() bool {
		fs, _ := a.Folders.Folders()
		return len(fs) == 1 && fs[0].State == "watching"
	})
	src := filepath.Join(dir, cl.Name, "Bank statement March.pdf")
	writeFile(t, src, 3000)
	dest := filepath.Join(dir, "Filed", watch.SafeName(cl.Name), "Bank statement March.pdf")
	eventually(t, "the file moved into Filed/<client>/", func() bool { return exists(dest) })
	files := c.Sandbox.FilesFor(tenant, cl.ID)
	if len(files) != 1 || files[0].Name != "Bank statement March.pdf" {
		t.Fatalf("the demo Xero holds %+v for %s", files, cl.Name)
	}
	if exists(src) {
		t.Error("the file is still where it was dropped")
	}
	var today []FiledCount
	eventually(t, "filed today", func() bool { today, err = a.Folders.FiledToday(); return len(today) > 0 })
	if err != nil || len(today) != 1 || today[0].ContactID != cl.ID || today[0].Count != 1 || today[0].Client != cl.Name {
		t.Fatalf("filed today = %+v %v", today, err)
	}
	eventually(t, "the folder's count", func() bool {
		fs, _ := a.Folders.Folders()
		return len(fs) == 1 && fs[0].FiledToday == 1
	})

	if err := a.Folders.Pause(f.ID); err != nil {
		t.Fatal(err)
	}
	if fs, _ := a.Folders.Folders(); fs[0].State != "paused" || !fs[0].Paused {
		t.Errorf("after Pause: %+v", fs[0])
	}
	upd, err := a.Folders.UpdateFolder(f.ID, "", "fixed", cl.ID, "leave")
	if err != nil {
		t.Fatal(err)
	}
	if upd.Mode != "fixed" || upd.ClientName != cl.Name || upd.After != "leave" || !upd.Paused {
		t.Errorf("updated = %+v, want fixed to %s, leave, still paused", upd, cl.Name)
	}
	if err := a.Folders.Resume(f.ID); err != nil {
		t.Fatal(err)
	}
	if err := a.Folders.RemoveFolder(f.ID); err != nil {
		t.Fatal(err)
	}
	if fs, _ := a.Folders.Folders(); len(fs) != 0 {
		t.Errorf("after Remove: %+v", fs)
	}
	if !exists(dest) {
		t.Error("removing the folder touched its files")
	}
	if err := a.Folders.RemoveFolder(f.ID); toUIError(err).Code != "not_found" {
		t.Errorf("removing twice: %v", err)
	}
}

// A file that could belong to two look-alike clients waits in Review with
// both as suggestions; choosing one with "always" saves a rule, files it, and
// the next file like it is filed by itself. Dismiss leaves a file in place.
func TestFoldersReviewResolveWithRule(t *testing.T) {
	a, c, tenant := demoFolders(t)
	one, two := lookAlikes(t, a)
	dir := t.TempDir()
	f, err := a.Folders.AddFolder(dir, "filename", "", "")
	if err != nil {
		t.Fatal(err)
	}
	name := one.Name + " invoice 2031.pdf"
	first := filepath.Join(dir, name)
	writeFile(t, first, 2000)
	var rv []ReviewView
	eventually(t, "the file in Review", func() bool {
		rv, _ = a.Folders.Reviews(0)
		return len(rv) == 1
	})
	r := rv[0]
	if r.Kind != "tie" || r.Name != name || r.FolderID != f.ID || r.Path != first || len(r.Suggestions) < 2 {
		t.Fatalf("review = %+v, want a tie between %q and %q", r, one.Name, two.Name)
	}
	got := map[string]bool{r.Suggestions[0].ContactID: true, r.Suggestions[1].ContactID: true}
	if !got[one.ID] || !got[two.ID] || r.Suggestions[0].Reason == "" || r.Suggestions[0].Confidence <= 0 {
		t.Errorf("suggestions = %+v, want %s and %s with reasons", r.Suggestions, one.ID, two.ID)
	}
	pattern, err := a.Folders.RuleFor(r.ID, two.ID)
	if err != nil || !regexp.MustCompile(`\*`).MatchString(pattern) || !exists(first) {
		t.Errorf("pattern %q, %v (digits become *); file still there: %v", pattern, err, exists(first))
	}
	if len(c.Sandbox.FilesFor(tenant, one.ID))+len(c.Sandbox.FilesFor(tenant, two.ID)) != 0 {
		t.Fatal("a file in Review was uploaded")
	}
	if fs, _ := a.Folders.Folders(); fs[0].Review != 1 {
		t.Errorf("folder review count = %d", fs[0].Review)
	}

	if err := a.Folders.ResolveReview(r.ID, "", true); err == nil {
		t.Error("resolved without a client")
	}
	if err := a.Folders.ResolveReview(r.ID, two.ID, true); err != nil {
		t.Fatal(err)
	}
	dest := filepath.Join(dir, "Filed", watch.SafeName(two.Name))
	eventually(t, "the chosen client's file filed", func() bool { return exists(filepath.Join(dest, name)) })
	if files := c.Sandbox.FilesFor(tenant, two.ID); len(files) != 1 || files[0].Name != name {
		t.Fatalf("files for %s: %+v", two.Name, files)
	}
	rules, err := a.Folders.Rules()
	if err != nil || len(rules) != 1 || rules[0].ContactID != two.ID || rules[0].Pattern != pattern || rules[0].ClientName != two.Name {
		t.Fatalf("rules = %+v %v, want %q → %s", rules, err, pattern, two.Name)
	}

	second := one.Name + " invoice 2032.pdf"
	writeFile(t, filepath.Join(dir, second), 2100)
	eventually(t, "the rule filed the next file", func() bool { return exists(filepath.Join(dest, second)) })
	if files := c.Sandbox.FilesFor(tenant, two.ID); len(files) != 2 {
		t.Fatalf("files for %s after the rule: %+v", two.Name, files)
	}
	if rv, _ := a.Folders.Reviews(f.ID); len(rv) != 0 {
		t.Fatalf("review list after the rule: %+v", rv)
	}
	eventually(t, "two filed today", func() bool {
		today, _ := a.Folders.FiledToday()
		return len(today) == 1 && today[0].Count == 2
	})

	if err := a.Folders.DeleteRule(rules[0].ID); err != nil {
		t.Fatal(err)
	}
	if rules, _ := a.Folders.Rules(); len(rules) != 0 {
		t.Errorf("rules after delete: %+v", rules)
	}
	third := filepath.Join(dir, "scan 0001.pdf")
	writeFile(t, third, 500)
	eventually(t, "an unmatched file in Review", func() bool {
		rv, _ = a.Folders.Reviews(f.ID)
		return len(rv) == 1
	})
	if rv[0].Kind != "no_match" {
		t.Errorf("kind = %q, want no_match", rv[0].Kind)
	}
	if err := a.Folders.DismissReview(rv[0].ID); err != nil {
		t.Fatal(err)
	}
	if rv, _ := a.Folders.Reviews(f.ID); len(rv) != 0 || !exists(third) {
		t.Errorf("after dismiss: %+v, file there: %v", rv, exists(third))
	}
	if err := a.Folders.DismissReview(987654); toUIError(err).Code != "not_found" {
		t.Errorf("dismiss an unknown review: %v", err)
	}
}

// A file Xero would refuse waits in Review with the reason in plain words.
func TestFoldersRefusedFileWaitsWithReason(t *testing.T) {
	a, _, _ := demoFolders(t)
	dir := t.TempDir()
	if _, err := a.Folders.AddFolder(dir, "", "", "leave"); err != nil {
		t.Fatal(err)
	}
	big := filepath.Join(dir, "scan-12mb.pdf")
	writeFile(t, big, 12*1024*1024)
	var rv []ReviewView
	eventually(t, "the refused file in Review", func() bool {
		rv, _ = a.Folders.Reviews(0)
		return len(rv) == 1
	})
	if rv[0].Kind != "refused" || !strings.Contains(rv[0].Reason, "12.0 MB") || !exists(big) {
		t.Fatalf("review = %+v", rv[0])
	}
}

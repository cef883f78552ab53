package app

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	wruntime "github.com/wailsapp/wails/v2/pkg/runtime"

	"chase.md/backend/config"
)

// No bound method that exports takes a path from the webview: the path is
// the one the person picked in the native dialog, opened by the Go side. A
// selection (a list of client keys) is all an export may be given.
func TestExportsTakeNoPathFromTheWebview(t *testing.T) {
	a := New(config.Config{DataDir: t.TempDir()}, Options{})
	n := 0
	for _, svc := range a.Bind() {
		typ := reflect.TypeOf(svc)
		for i := range typ.NumMethod() {
			m := typ.Method(i)
			if !strings.Contains(m.Name, "Export") {
				continue
			}
			n++
			for j := 1; j < m.Type.NumIn(); j++ {
				if in := m.Type.In(j); in.Kind() != reflect.Slice || in.Elem().Kind() != reflect.String {
					t.Errorf("%s.%s takes a %s from the webview; an export must ask with the save dialog itself",
						typ.Elem().Name(), m.Name, in)
				}
			}
		}
	}
	if n < 3 {
		t.Fatalf("found %d bound export methods, want the activity CSV and the chase list's Markdown and CSV", n)
	}
}

// The browser tests' stand-in for the dialog writes the demo's exports to
// CHASE_EXPORT_DIR under the suggested name, and only in demo mode.
func TestTestExportDirOnlyInDemo(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("CHASE_EXPORT_DIR", dir)
	a, _, _ := demoChase(t)
	path, err := a.Chase.ExportCSV()
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(path) != dir || !strings.HasPrefix(filepath.Base(path), "chase-list-") {
		t.Fatalf("demo export went to %q, want the test export folder", path)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	if err := a.switchMode(false); err != nil {
		t.Fatal(err)
	}
	path, err = a.saveDialog(wruntime.SaveDialogOptions{DefaultFilename: "x.csv"})
	if path != "" || err == nil || !strings.Contains(err.Error(), "no window") {
		t.Fatalf("outside the demo: %q, %v; want the native dialog (none in a test)", path, err)
	}
}

// A release build has no test export folder: exportdir_dev.go is not in it.
func TestReleaseBuildHasNoTestExportDir(t *testing.T) {
	out, err := exec.Command("go", "list", "-tags", "desktop,production", "-f", "{{join .GoFiles \" \"}}", ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	files := strings.Fields(string(out))
	if all := strings.Join(files, " "); strings.Contains(all, "exportdir_dev.go") || !strings.Contains(all, "exportdir_release.go") {
		t.Fatalf("release build files: %s", all)
	}
}

package upload

import (
	"context"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/store"
)

// TestHelperUploader is the queue in a child process for TestKillAndRestart;
// it does nothing unless that test started it.
func TestHelperUploader(t *testing.T) {
	if os.Getenv("CHASE_UPLOAD_HELPER_DB") == "" {
		return
	}
	if os.Getenv("CHASE_UPLOAD_NOADOPT") != "" {
		adoptCheck = false // to see the duplicates the look in Xero prevents
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CHASE_UPLOAD_HELPER_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base, token := os.Getenv("CHASE_UPLOAD_HELPER_URL"), os.Getenv("CHASE_UPLOAD_HELPER_TOKEN")
	scale, err := strconv.ParseFloat(os.Getenv("CHASE_UPLOAD_HELPER_SCALE"), 64)
	if err != nil {
		t.Fatal(err)
	}
	pacers := rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / scale)))
	q, err := New(Options{DB: db, PerTenant: 5, MaxAttempts: 1000, Senders: func(ctx context.Context, tenantID string) (Sender, error) {
		return newXeroClient(t, base, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}), pacers, tenantID), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go q.Serve(ctx)
	if os.Getenv("CHASE_UPLOAD_HELPER_FINISH") == "" {
		<-ctx.Done() // run until killed
	}
	live, _ := q.Items(ctx, Filter{States: []State{StateQueued, StateUploading, StateUploaded, StateAssociating, StateWaitingReconnect}, Limit: 10000})
	var all []int64
	for _, it := range live {
		all = append(all, it.ID)
	}
	if _, err := q.Wait(ctx, all...); err != nil {
		t.Fatal(err)
	}
}

// TestKillAndRestart kills the uploading process (SIGKILL on Unix; Kill is
// TerminateProcess on Windows) three times mid-queue, then lets a fourth run
// finish: 200 files, under the sandbox's real limits on a scaled clock and
// the fault test's faults (500s, 503s, 429 bursts, answers lost after the
// commit), must each be in Xero exactly once, linked once with their contact.
func TestKillAndRestart(t *testing.T) { killAndRestart(t, false) }

// TestKillAndRestartForgottenKeys is TestKillAndRestart with a Xero that
// forgets every Idempotency-Key while the process is down (a laptop closed
// over a weekend): the uploads cut off by each kill are found in Xero Files
// and adopted, not sent again. With CHASE_UPLOAD_NOADOPT=1 (no look in
// Xero) it fails with duplicates.
func TestKillAndRestartForgottenKeys(t *testing.T) { killAndRestart(t, true) }

func killAndRestart(t *testing.T, forget bool) {
	// The fault test's faults, and every call that draws none slowed to 15 ms
	// so that each kill finds calls in flight.
	e := newEnv(t, sandbox.Options{Faults: faultSpec + ";POST /files.xro/1.0/Files*=slow:15ms"})
	const files = 200
	reqs, want := e.spread(files, "Kill", e.contacts(5))
	ctx := waitCtx(t)
	q := e.queue(Options{})
	if _, err := q.Enqueue(ctx, reqs); err != nil {
		t.Fatal(err)
	}
	run := func(finish bool) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperUploader$", "-test.count=1")
		cmd.Env = append(os.Environ(), "CHASE_UPLOAD_HELPER_DB="+e.dbPath, "CHASE_UPLOAD_HELPER_URL="+e.srv.URL,
			"CHASE_UPLOAD_HELPER_TOKEN="+e.token, "CHASE_UPLOAD_HELPER_SCALE="+strconv.FormatFloat(e.scale, 'g', -1, 64))
		if finish {
			cmd.Env = append(cmd.Env, "CHASE_UPLOAD_HELPER_FINISH=1")
		}
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd
	}
	calls := func() int { return e.sb.CountRequests("POST", "/files.xro/1.0/Files") }
	for kill := 1; kill <= 3; kill++ {
		before := calls()
		cmd := run(false)
		// Kill once the child is well into the queue (about 25 files a run):
		// some calls answered, others in flight.
		for calls() < before+50 {
			if ctx.Err() != nil {
				cmd.Process.Kill()
				t.Fatal("the helper made no progress")
			}
			time.Sleep(time.Millisecond)
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		cmd.Wait()
		if forget {
			t.Logf("Xero forgot %d Idempotency-Keys", e.sb.ForgetIdempotencyKeys())
		}
		t.Logf("kill %d after %d upload/link calls, %d files in Xero", kill, calls(), len(e.sb.Files(e.tenant)))
	}
	if n := len(e.sb.Files(e.tenant)); n >= files {
		t.Fatalf("all %d files were uploaded before the last kill; the kills proved nothing", n)
	}
	cmd := run(true)
	if err := cmd.Wait(); err != nil {
		t.Fatalf("final run: %v", err)
	}
	items, err := q.Items(ctx, Filter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.State != StateDone {
			t.Errorf("%s: %s %q", it.Name, it.State, it.Reason)
		}
	}
	e.assertExactlyOnce(t, want)
	e.assertFaultsInjected(t, "500", "503", "429", "dropafter")
	looks := 0
	for _, r := range e.sb.Requests() {
		if r.Method == "GET" && r.Path == "/files.xro/1.0/Files" {
			looks++
		}
	}
	adopted := 0
	for _, it := range items {
		if it.Note != "" {
			adopted++
		}
	}
	t.Logf("%d looks at Xero's files, %d uploads found there and adopted", looks, adopted)
}

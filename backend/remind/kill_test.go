package remind_test

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chase.md/backend/chase"
	"chase.md/backend/mail"
	"chase.md/backend/mail/mailtest"
	"chase.md/backend/remind"
	"chase.md/backend/store"
)

// TestHelperSender sends one reminder in a child process for
// TestKillBetweenSentAndRecorded; it does nothing unless that test started it.
func TestHelperSender(t *testing.T) {
	if os.Getenv("CHASE_REMIND_HELPER_DB") == "" {
		return
	}
	ctx := context.Background()
	db, err := store.Open(ctx, os.Getenv("CHASE_REMIND_HELPER_DB"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	nowMS, _ := strconv.ParseInt(os.Getenv("CHASE_REMIND_HELPER_NOW"), 10, 64)
	now := func() time.Time { return time.UnixMilli(nowMS) }
	port, _ := strconv.Atoi(os.Getenv("CHASE_REMIND_HELPER_PORT"))
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM([]byte(os.Getenv("CHASE_REMIND_HELPER_CA")))
	set := mail.Settings{Host: "127.0.0.1", Port: port, Security: mail.StartTLS, Username: "office@practice.test",
		FromName: "Smith & Co", FromAddress: "office@practice.test"}
	s := remind.New(db, chase.New(db, os.Getenv("CHASE_REMIND_HELPER_ORG"), chase.WithClock(now)), remind.Options{
		Practice: "Smith & Co", Sender: mail.NewSMTP(set, "pw", mail.WithTLSConfig(&tls.Config{RootCAs: pool, ServerName: "127.0.0.1"})),
		Now: now, Location: time.UTC})
	remind.SetTestHooks(nil, func(it remind.Item, err error) {
		if os.Getenv("CHASE_REMIND_HELPER_MODE") == "after-reply" {
			fmt.Printf("SENT %s %v\n", it.MessageID, err)
			select {} // until killed
		}
	})
	id, _ := strconv.ParseInt(os.Getenv("CHASE_REMIND_HELPER_ID"), 10, 64)
	s.Send(ctx, id)
	t.Fatal("the helper was not killed")
}

// A process killed with SIGKILL (TerminateProcess on Windows) after the
// mail server has the message and before the outcome is recorded never
// sends it again: the restarted program finds it "sending" by a process
// that has gone, marks it "may have been sent" and leaves it to a person.
// Two moments: while the server is taking the message (it then accepts it),
// and after the server's 250 reached the sender.
func TestKillBetweenSentAndRecorded(t *testing.T) {
	for _, mode := range []string{"in-data", "after-reply"} {
		t.Run(mode, func(t *testing.T) { killBetweenSentAndRecorded(t, mode) })
	}
}

func killBetweenSentAndRecorded(t *testing.T, mode string) {
	e := newEnv(t, envOpts{})
	var mu sync.Mutex
	var child *exec.Cmd
	srv := mailtest.Start(t, mailtest.Options{User: "office@practice.test", Pass: "pw", OnData: func(mailtest.Message) {
		if mode != "in-data" {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		child.Process.Kill() // the server still accepts the message, as a real one would
		child.Wait()
	}})
	s := e.svc()
	e.everyDay(s, nil)
	rows := e.pick()
	if _, err := e.chase.SetDocsNeeded(e.ctx, rows[0].JobID, []string{"Bank statements"}); err != nil {
		t.Fatal(err)
	}
	it := itemOf(t, e.due(s), rows[0].ClientKey)

	mu.Lock()
	child = exec.Command(os.Args[0], "-test.run=^TestHelperSender$", "-test.count=1")
	child.Env = append(os.Environ(), "CHASE_REMIND_HELPER_DB="+e.dbPath, "CHASE_REMIND_HELPER_ORG="+e.org,
		"CHASE_REMIND_HELPER_NOW="+strconv.FormatInt(e.clk.Now().UnixMilli(), 10), "CHASE_REMIND_HELPER_PORT="+strconv.Itoa(srv.Port),
		"CHASE_REMIND_HELPER_CA="+string(srv.CAPEM), "CHASE_REMIND_HELPER_ID="+strconv.FormatInt(it.ID, 10),
		"CHASE_REMIND_HELPER_MODE="+mode)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	mu.Unlock()
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "SENT ") {
			if !strings.HasSuffix(line, " <nil>") {
				t.Fatalf("the child's send failed: %s", line)
			}
			mu.Lock()
			child.Process.Kill()
			mu.Unlock()
			break
		}
		t.Log("child: ", line)
	}
	mu.Lock()
	child.Wait()
	mu.Unlock()

	// The server finishes taking the message after the kill.
	for deadline := time.Now().Add(10 * time.Second); len(srv.Messages()) == 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 {
		t.Fatalf("the server has %d messages before the restart, want 1", len(msgs))
	}
	var status, mid string
	e.db.SQL().QueryRowContext(e.ctx, `SELECT status, message_id FROM remind_items WHERE id = ?`, it.ID).Scan(&status, &mid)
	if status != remind.StatusSending || "<"+mid+">" != msgs[0].Header.Get("Message-Id") {
		t.Fatalf("after the kill the reminder is %q with Message-ID %q, want sending with the message's %s", status, mid, msgs[0].Header.Get("Message-Id"))
	}

	// The restart: this process is another program run. Everything that
	// could send it is tried.
	restarted := remind.New(e.db, e.chase, remind.Options{Practice: "Smith & Co",
		Sender: mail.NewSMTP(mail.Settings{Host: srv.Host, Port: srv.Port, Security: mail.StartTLS, Username: "office@practice.test",
			FromAddress: "office@practice.test"}, "pw", mail.WithTLSConfig(srv.ClientTLS)),
		Now: e.clk.Now, Location: time.UTC, Log: e.log})
	if n, err := restarted.Recover(e.ctx); err != nil || n != 1 {
		t.Fatalf("recovery found %d reminders left sending (%v), want 1", n, err)
	}
	if _, err := restarted.Send(e.ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := restarted.Round(e.ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("the server has %d messages after the restart, want 1", n)
	}
	c, err := restarted.Client(e.ctx, rows[0].ClientKey)
	if err != nil {
		t.Fatal(err)
	}
	got := c.History[0]
	if got.Status != remind.StatusUnsure || !strings.Contains(got.Error, "may have been sent") || !strings.Contains(got.Error, mid) {
		t.Fatalf("after the restart: %+v", got)
	}
	if n := len(e.log.find("May have been sent")); n != 1 {
		t.Errorf("%d unsure entries in Activity, want 1", n)
	}
	// The person finds it in Sent items.
	got, err = restarted.ResolveUnsure(e.ctx, it.ID, true)
	if err != nil || got.Status != remind.StatusSent {
		t.Fatalf("resolved: %+v, %v", got, err)
	}
}

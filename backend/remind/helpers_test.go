package remind_test

import (
	"bytes"
	"context"
	"io"
	"mime/quotedprintable"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
	"chase.md/backend/mail"
	"chase.md/backend/mail/mailtest"
	"chase.md/backend/remind"
	"chase.md/backend/rest"
	"chase.md/backend/sandbox"
	"chase.md/backend/sandbox/xpmsim"
	"chase.md/backend/store"
	"chase.md/backend/syncer"
	"chase.md/backend/xero"
	"chase.md/backend/xpm"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}
func (c *clock) Add(d time.Duration) { c.Set(c.Now().Add(d)) }

// logRec is the activity log as the service writes it.
type logRec struct {
	mu sync.Mutex
	es []activity.Entry
}

func (l *logRec) Log(e activity.Entry) { l.mu.Lock(); l.es = append(l.es, e); l.mu.Unlock() }
func (l *logRec) find(sub string) []activity.Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []activity.Entry
	for _, e := range l.es {
		if strings.Contains(e.Detail, sub) {
			out = append(out, e)
		}
	}
	return out
}

// env: the sandbox (contacts synced with the real syncer, its XPM practice
// synced with chase's own sync), a real store file, a real SMTP server.
type env struct {
	t      testing.TB
	ctx    context.Context
	dbPath string
	db     *store.DB
	sb     *sandbox.Server
	org    string
	clk    *clock
	chase  *chase.Service
	x      *xero.Client
	px     *xpm.Client
	smtp   *mailtest.Server
	log    *logRec
}

type envOpts struct {
	contacts int
	start    time.Time              // the services' clock when XPM is synced (zero: the sandbox's now + 5 minutes)
	practice func(*xpmsim.Practice) // grows the practice before the XPM sync
}

func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	if o.contacts == 0 {
		o.contacts = 60
	}
	ctx := context.Background()
	e := &env{t: t, ctx: ctx, clk: &clock{}, log: &logRec{}}
	so := sandbox.Options{Contacts: o.contacts, LimitScale: 600}
	e.sb = sandbox.New(so)
	srv := httptest.NewServer(e.sb.Handler())
	t.Cleanup(srv.Close)
	access, _ := e.sb.IssueToken()
	hc := oauth2.NewClient(ctx, oauth2.StaticTokenSource(&oauth2.Token{AccessToken: access}))
	pacers := rest.NewPacers(rest.WithMinute(time.Duration(float64(time.Minute) / so.LimitScale)))
	rc, err := rest.New(hc, srv.URL, rest.WithPacers(pacers), rest.WithVersion("test"))
	if err != nil {
		t.Fatal(err)
	}
	var xpmTenant string
	for _, tn := range e.sb.Tenants() {
		switch {
		case tn.Type == "ORGANISATION" && e.org == "":
			e.org = tn.ID
		case tn.Type == "PRACTICEMANAGER" && xpmTenant == "":
			xpmTenant = tn.ID
		}
	}
	e.px, e.x = xpm.New(rc, xpmTenant), xero.New(rc, e.org)
	e.dbPath = filepath.Join(t.TempDir(), "chase.db")
	e.db, err = store.Open(ctx, e.dbPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.db.Close() })
	sy := syncer.New(e.db, func(string) syncer.ContactLister { return e.x }, syncer.Options{})
	if _, err := sy.Full(ctx, e.org, nil); err != nil {
		t.Fatalf("contact sync: %v", err)
	}
	if o.start.IsZero() {
		o.start = e.sb.Now().Add(5 * time.Minute)
	}
	e.clk.Set(o.start)
	if o.practice != nil {
		o.practice(e.sb.Practice())
	}
	e.chase = chase.New(e.db, e.org, chase.WithClock(e.clk.Now))
	if _, err := e.chase.SyncXPM(ctx, e.px); err != nil {
		t.Fatalf("XPM sync: %v", err)
	}
	e.smtp = mailtest.Start(t, mailtest.Options{User: "office@practice.test", Pass: "pw"})
	return e
}

func (e *env) settings() mail.Settings {
	return mail.Settings{Host: e.smtp.Host, Port: e.smtp.Port, Security: mail.StartTLS, Username: "office@practice.test",
		FromName: "Smith & Co", FromAddress: "office@practice.test"}
}

// svc is the reminders service sending through the test's SMTP server and
// checking XPM and Xero Files in the sandbox.
func (e *env) svc() *remind.Service {
	return remind.New(e.db, e.chase, remind.Options{
		Practice: "Smith & Co", Sender: mail.NewSMTP(e.settings(), "pw", mail.WithTLSConfig(e.smtp.ClientTLS)),
		Jobs: remind.XPMJobs(e.px), Files: e.x, Log: e.log, Who: func() string { return "Ann Accountant" },
		Now: e.clk.Now, Location: time.UTC})
}

// everyDay makes every plan send on any day and at any hour, so a test does
// not depend on the weekday it runs on.
func (e *env) everyDay(s *remind.Service, edit func(*remind.Plan)) {
	e.t.Helper()
	ps, err := s.Plans(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, p := range ps {
		p.QuietDays, p.SendFrom, p.SendUntil = []int{}, 0, 24
		if edit != nil {
			edit(&p)
		}
		if _, err := s.SavePlan(e.ctx, p); err != nil {
			e.t.Fatal(err)
		}
	}
}

// clientRows is the chase list's rows of clients with a linked contact
// with an email address and a job, by client.
func (e *env) clients() map[string][]chase.Row {
	e.t.Helper()
	rows, err := e.chase.List(e.ctx, chase.Query{Sort: chase.SortDue})
	if err != nil {
		e.t.Fatal(err)
	}
	out := map[string][]chase.Row{}
	for _, r := range rows {
		out[r.ClientKey] = append(out[r.ClientKey], r)
	}
	return out
}

// pick is a client with exactly one job, a linked contact and an email.
func (e *env) pick(skip ...string) []chase.Row {
	e.t.Helper()
	cs := e.clients()
	keys := make([]string, 0, len(cs))
	for k := range cs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		rs := cs[k]
		if len(rs) == 1 && rs[0].ContactID != "" && rs[0].Email != "" && rs[0].JobID != "" && !slices.Contains(skip, k) {
			return rs
		}
	}
	e.t.Fatal("no client with one job, a linked contact and an email")
	return nil
}

func (e *env) due(s *remind.Service) []remind.Item {
	e.t.Helper()
	its, err := s.DueToday(e.ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return its
}

func itemOf(t testing.TB, its []remind.Item, clientKey string) remind.Item {
	t.Helper()
	for _, it := range its {
		if it.ClientKey == clientKey {
			return it
		}
	}
	t.Fatalf("no reminder for %s among %d", clientKey, len(its))
	return remind.Item{}
}

// associate files a document with the contact in Xero itself.
func (e *env) associate(contactID, name string) {
	e.t.Helper()
	body := []byte("%PDF-1.4 scan of " + name)
	f, err := e.x.UploadFile(e.ctx, xero.UploadRequest{Name: name, Body: strings.NewReader(string(body)), Size: int64(len(body))})
	if err != nil {
		e.t.Fatal(err)
	}
	if _, err := e.x.Associate(e.ctx, f.ID, xero.AssociationRequest{ObjectID: contactID}, ""); err != nil {
		e.t.Fatal(err)
	}
}

// messagesTo are the messages the SMTP server accepted for addr.
func (e *env) messagesTo(addr string) []mailtest.Message {
	var out []mailtest.Message
	for _, m := range e.smtp.Messages() {
		if slices.Contains(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// decoded is a raw message with its quoted-printable soft breaks and
// escapes undone, so a test can look for the text as written.
func decoded(t testing.TB, raw []byte) string {
	t.Helper()
	b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(raw)))
	if err != nil {
		t.Fatalf("decode the message: %v", err)
	}
	return string(b)
}

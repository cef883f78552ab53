// Package chase decides who must be chased for documents: it keeps the XPM
// practice's job states with the practice's own mapping ("this state means
// we are waiting on the client"), links XPM clients to Xero contacts (XPM
// does not say which contact a client is), and builds the chase list, its
// exports and the chase email. Without XPM, the list is the contacts a
// person marked "chase" by hand.
//
// Every table is keyed by the accounting organisation's tenant ID, the one
// contacts are stored under; the XPM tenant is only the source of the data.
// The app's scheduler calls, after each contact sync:
//
//	res, err := chase.SyncXPM(ctx, db, xpm.New(rc, xpmTenantID), orgTenantID)
//	if errors.Is(err, xpm.ErrNoAccess) {
//		// no XPM: the list is built from MarkForChase; Status says so
//	}
package chase

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"chase.md/backend/store"
)

// Service is the chase data of one organisation. It is safe for concurrent use.
type Service struct {
	db       *store.DB
	tenant   string
	now      func() time.Time
	handOnly bool
}

// Option configures a Service.
type Option func(*Service)

// WithClock replaces time.Now (tests, benchmarks).
func WithClock(now func() time.Time) Option { return func(s *Service) { s.now = now } }

// HandMarkedOnly makes the list (and so its exports, emails and the files
// refresh) hold only the clients marked by hand: without XPM the jobs read
// earlier are stale.
func HandMarkedOnly() Option { return func(s *Service) { s.handOnly = true } }

// New makes the service for the organisation tenantID.
func New(db *store.DB, tenantID string, opts ...Option) *Service {
	s := &Service{db: db, tenant: tenantID, now: time.Now}
	for _, o := range opts {
		o(s)
	}
	return s
}

// HandOnly reports HandMarkedOnly.
func (s *Service) HandOnly() bool { return s.handOnly }

// TenantID is the organisation the service keeps data for.
func (s *Service) TenantID() string { return s.tenant }

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

func parseDate(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row
	ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error)
}

// Status is where the XPM side stands, for the screen that explains it.
type Status struct {
	XPM         bool      `json:"xpm"`         // XPM data is in use (the last sync succeeded)
	NoAccess    bool      `json:"noAccess"`    // the last try was refused: say how to connect XPM
	StateSource string    `json:"stateSource"` // jobstate.api/list or jobs
	LastSync    time.Time `json:"lastSync"`
	LastError   string    `json:"lastError,omitempty"`
}

// Status reports the last XPM sync.
func (s *Service) Status(ctx context.Context) (Status, error) {
	var st Status
	var ok, noAccess int64
	err := s.db.SQL().QueryRowContext(ctx, `SELECT state_source, last_ok_at, last_error, no_access FROM xpm_sync WHERE tenant_id = ?`,
		s.tenant).Scan(&st.StateSource, &ok, &st.LastError, &noAccess)
	if err == sql.ErrNoRows {
		return st, nil
	}
	if err != nil {
		return st, fmt.Errorf("chase: status: %w", err)
	}
	st.LastSync, st.NoAccess = fromMS(ok), noAccess != 0
	st.XPM = ok != 0 && !st.NoAccess
	return st, nil
}

package chase

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"chase.md/backend/store"
	"chase.md/backend/xpm"
)

// Source is the XPM client as the sync uses it (*xpm.Client).
type Source interface {
	StateList(ctx context.Context) ([]xpm.JobState, error)
	CurrentJobs(ctx context.Context, detailed bool) ([]xpm.Job, error)
	ClientList(ctx context.Context, detailed bool) ([]xpm.PracticeClient, error)
}

// SyncResult says what a sync found.
type SyncResult struct {
	StateSource xpm.StateSource `json:"stateSource"`
	States      int             `json:"states"`
	Clients     int             `json:"clients"`
	Jobs        int             `json:"jobs"`
	Links       LinkCounts      `json:"links"`
}

// SyncXPM is the scheduler's entry point (same schedule as contacts): it
// syncs the XPM practice src into the store of the organisation tenantID.
func SyncXPM(ctx context.Context, db *store.DB, src Source, tenantID string) (SyncResult, error) {
	return New(db, tenantID).SyncXPM(ctx, src)
}

// SyncXPM reads states, clients and current jobs, then writes them in one
// transaction (a failed or garbled answer leaves the store as it was), then
// the auto links in a second, short one. A refusal (xpm.ErrNoAccess) is recorded so the app shows the
// no-XPM chase list.
func (s *Service) SyncXPM(ctx context.Context, src Source) (SyncResult, error) {
	var res SyncResult
	data, err := fetch(ctx, src)
	if err != nil {
		s.recordFailure(ctx, err)
		return res, fmt.Errorf("chase: sync xpm: %w", err)
	}
	res.StateSource = data.source
	err = s.db.Tx(ctx, func(tx *sql.Tx) error {
		now := ms(s.now())
		n, err := s.writeStates(ctx, tx, data)
		if err != nil {
			return err
		}
		res.States = n
		if res.Clients, err = s.writeClients(ctx, tx, data.clients); err != nil {
			return err
		}
		if res.Jobs, err = s.writeJobs(ctx, tx, data.jobs, now); err != nil {
			return err
		}
		xpmTenant := ""
		if t, ok := src.(interface{ TenantID() string }); ok {
			xpmTenant = t.TenantID()
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO xpm_sync (tenant_id, xpm_tenant_id, state_source, last_ok_at, last_try_at, last_error, no_access)
			VALUES (?, ?, ?, ?, ?, '', 0)
			ON CONFLICT (tenant_id) DO UPDATE SET xpm_tenant_id = excluded.xpm_tenant_id, state_source = excluded.state_source,
				last_ok_at = excluded.last_ok_at, last_try_at = excluded.last_try_at, last_error = '', no_access = 0`,
			s.tenant, xpmTenant, string(data.source), now, now)
		if err != nil {
			return fmt.Errorf("chase: record sync: %w", err)
		}
		return nil
	})
	if err != nil {
		return SyncResult{}, fmt.Errorf("chase: sync xpm: %w", err)
	}
	// The links are planned outside any write transaction and written in a
	// short one of their own (see relinkShort). Should that fail, the clients
	// and jobs stand and the next relink or sync links them.
	if res.Links, err = s.relinkShort(ctx, ms(s.now())); err != nil {
		return SyncResult{}, fmt.Errorf("chase: sync xpm: link clients: %w", err)
	}
	return res, nil
}

func (s *Service) recordFailure(ctx context.Context, cause error) {
	now := ms(s.now())
	// Best effort: the sync's own error is what the caller needs.
	_, _ = s.db.SQL().ExecContext(ctx, `INSERT INTO xpm_sync (tenant_id, last_try_at, last_error, no_access) VALUES (?, ?, ?, ?)
		ON CONFLICT (tenant_id) DO UPDATE SET last_try_at = excluded.last_try_at, last_error = excluded.last_error, no_access = excluded.no_access`,
		s.tenant, now, cause.Error(), boolInt(errors.Is(cause, xpm.ErrNoAccess)))
}

type fetched struct {
	states  []xpm.JobState
	source  xpm.StateSource
	clients []xpm.PracticeClient
	jobs    []xpm.Job
}

// fetch reads everything before anything is written. Jobs come first: when
// jobstate.api/list is absent their states are the list, at no extra call.
func fetch(ctx context.Context, src Source) (*fetched, error) {
	var d fetched
	var err error
	if d.jobs, err = src.CurrentJobs(ctx, false); err != nil {
		return nil, fmt.Errorf("current jobs: %w", err)
	}
	d.states, err = src.StateList(ctx)
	switch {
	case err == nil:
		d.source = xpm.FromStateList
	case errors.Is(err, xpm.ErrUnsupported):
		d.states, d.source = xpm.StatesOf(d.jobs), xpm.FromJobs
	default:
		return nil, fmt.Errorf("job states: %w", err)
	}
	if d.clients, err = src.ClientList(ctx, false); err != nil {
		return nil, fmt.Errorf("clients: %w", err)
	}
	return &d, nil
}

func (s *Service) writeStates(ctx context.Context, tx *sql.Tx, d *fetched) (int, error) {
	states := d.states
	// A job may name a state the list left out: it is a state all the same.
	listed := map[string]bool{}
	for _, st := range states {
		listed[stateKey(st.Name)] = true
	}
	for _, st := range xpm.StatesOf(d.jobs) {
		if !listed[stateKey(st.Name)] {
			states = append(states, st)
			listed[stateKey(st.Name)] = true
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE xpm_states SET present = 0 WHERE tenant_id = ?`, s.tenant); err != nil {
		return 0, fmt.Errorf("chase: states: %w", err)
	}
	for i, st := range states {
		// New states get the guess; a person's mapping (mapped = 1) is kept.
		// The Interface Code is kept only when XPM gives it; nobody types it.
		code := strings.TrimSpace(st.Code)
		_, err := tx.ExecContext(ctx, `INSERT INTO xpm_states (tenant_id, name_key, name, uuid, code, code_source, chase, present, ord)
			VALUES (?, ?, ?, ?, ?, CASE WHEN ? != '' THEN 'xpm' ELSE '' END, ?, 1, ?)
			ON CONFLICT (tenant_id, name_key) DO UPDATE SET name = excluded.name,
				uuid = CASE WHEN excluded.uuid != '' THEN excluded.uuid ELSE xpm_states.uuid END,
				code = CASE WHEN excluded.code != '' THEN excluded.code ELSE xpm_states.code END,
				code_source = CASE WHEN excluded.code != '' THEN 'xpm' ELSE xpm_states.code_source END,
				chase = CASE WHEN xpm_states.mapped = 1 THEN xpm_states.chase ELSE excluded.chase END,
				present = 1, ord = excluded.ord`,
			s.tenant, stateKey(st.Name), strings.TrimSpace(st.Name), st.UUID, code, code, boolInt(guessChase(st.Name)), i)
		if err != nil {
			return 0, fmt.Errorf("chase: state %q: %w", st.Name, err)
		}
	}
	return len(states), nil
}

// contactPerson is what is kept of an XPM client's contact persons.
type contactPerson struct {
	Name    string `json:"name"`
	Email   string `json:"email,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Mobile  string `json:"mobile,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

func (s *Service) writeClients(ctx context.Context, tx *sql.Tx, cs []xpm.PracticeClient) (int, error) {
	if _, err := tx.ExecContext(ctx, `UPDATE xpm_clients SET present = 0 WHERE tenant_id = ?`, s.tenant); err != nil {
		return 0, fmt.Errorf("chase: clients: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO xpm_clients (tenant_id, uuid, name, first_name, last_name, email, phone, export_code, archived, prospect, contacts, present,
			other_name, mobile, tax_number, company_number, business_number, client_code)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (tenant_id, uuid) DO UPDATE SET name = excluded.name, first_name = excluded.first_name, last_name = excluded.last_name,
			email = excluded.email, phone = excluded.phone, export_code = excluded.export_code, archived = excluded.archived,
			prospect = excluded.prospect, contacts = excluded.contacts, present = 1, other_name = excluded.other_name, mobile = excluded.mobile,
			tax_number = excluded.tax_number, company_number = excluded.company_number, business_number = excluded.business_number,
			client_code = excluded.client_code`)
	if err != nil {
		return 0, fmt.Errorf("chase: clients: %w", err)
	}
	defer stmt.Close()
	n := 0
	for _, c := range cs {
		uuid := strings.ToLower(strings.TrimSpace(c.UUID))
		if uuid == "" || bool(c.IsDeleted) {
			continue
		}
		var ps []contactPerson
		for _, p := range c.Contacts {
			if !bool(p.IsDeleted) {
				ps = append(ps, contactPerson{Name: p.Name, Email: strings.TrimSpace(p.Email), Phone: p.Phone, Mobile: p.Mobile, Primary: bool(p.IsPrimary)})
			}
		}
		pj, _ := json.Marshal(ps)
		if ps == nil {
			pj = []byte("[]")
		}
		if _, err := stmt.ExecContext(ctx, s.tenant, uuid, strings.TrimSpace(c.Name), c.FirstName, c.LastName,
			strings.TrimSpace(c.Email), strings.TrimSpace(c.Phone), strings.TrimSpace(c.ExportCode),
			boolInt(bool(c.IsArchived)), boolInt(bool(c.IsProspect)), string(pj), strings.TrimSpace(c.OtherName), strings.TrimSpace(c.Mobile),
			strings.TrimSpace(c.TaxNumber), strings.TrimSpace(c.CompanyNumber), strings.TrimSpace(c.BusinessNumber), strings.TrimSpace(c.ClientCode)); err != nil {
			return 0, fmt.Errorf("chase: client %s: %w", uuid, err)
		}
		n++
	}
	return n, nil
}

// writeJobs replaces the current jobs, keeping each job's state_since while
// its state is unchanged. A job seen before in another state has entered
// its state now (state_entered); a job seen for the first time was already
// in it, for how long XPM does not say.
func (s *Service) writeJobs(ctx context.Context, tx *sql.Tx, jobs []xpm.Job, now int64) (int, error) {
	type seen struct {
		since   int64
		entered int
	}
	since := map[string]seen{} // job_id + "\x00" + state_key → when and how it was first seen in the state
	known := map[string]bool{} // job_id
	rows, err := tx.QueryContext(ctx, `SELECT job_id, state_key, state_since, state_entered FROM xpm_jobs WHERE tenant_id = ?`, s.tenant)
	if err != nil {
		return 0, fmt.Errorf("chase: jobs: %w", err)
	}
	for rows.Next() {
		var id, key string
		var t seen
		if err := rows.Scan(&id, &key, &t.since, &t.entered); err != nil {
			rows.Close()
			return 0, fmt.Errorf("chase: jobs: %w", err)
		}
		since[id+"\x00"+key], known[id] = t, true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("chase: jobs: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM xpm_jobs WHERE tenant_id = ?`, s.tenant); err != nil {
		return 0, fmt.Errorf("chase: jobs: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT OR REPLACE INTO xpm_jobs (tenant_id, job_id, uuid, name, type, state_key, state, client_uuid, client_name, start_date, due_date, state_since, state_entered)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("chase: jobs: %w", err)
	}
	defer stmt.Close()
	n := 0
	for _, j := range jobs {
		id := strings.ToUpper(strings.TrimSpace(j.ID))
		if id == "" || strings.TrimSpace(j.State) == "" {
			continue
		}
		key := stateKey(j.State)
		t, ok := since[id+"\x00"+key]
		if !ok {
			t = seen{since: now, entered: boolInt(known[id])}
		}
		if _, err := stmt.ExecContext(ctx, s.tenant, id, j.UUID, j.Name, j.Type, key, strings.TrimSpace(j.State),
			strings.ToLower(strings.TrimSpace(j.Client.UUID)), j.Client.Name, dateString(j.StartDate.Time), dateString(j.DueDate.Time), t.since, t.entered); err != nil {
			return 0, fmt.Errorf("chase: job %s: %w", id, err)
		}
		n++
	}
	return n, nil
}

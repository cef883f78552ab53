package chase

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"chase.md/backend/xpm"
)

// Words that say a state waits on the client. Practices name their states
// freely ("Waiting on Client Records", "With Client - Info Needed"), so the
// guess goes by words, never by a whole name.
var (
	chaseWords = map[string]bool{
		"awaiting": true, "await": true, "awaits": true, "waiting": true, "wait": true,
		"information": true, "info": true, "records": true, "record": true,
		"documents": true, "document": true, "docs": true, "paperwork": true,
		"client": true, "query": true, "queries": true, "pending": true,
		"requested": true, "outstanding": true, "missing": true, "chase": true, "chasing": true,
	}
	// Words of states that end or are inside the practice's own work.
	notChaseWords = map[string]bool{
		"completed": true, "complete": true, "done": true, "finalised": true, "finalized": true,
		"final": true, "cancelled": true, "canceled": true, "cancel": true, "archived": true,
		"invoiced": true, "review": true, "proceeding": true, "progress": true, "planned": true,
		// With the client for a signature, not for records.
		"approval": true, "signing": true, "signature": true, "sign": true,
	}
)

func stateWords(name string) []string {
	return strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// guessChase says whether a state's name reads as "waiting on the client".
func guessChase(name string) bool {
	hit := false
	for _, w := range stateWords(name) {
		if notChaseWords[w] {
			return false
		}
		hit = hit || chaseWords[w]
	}
	return hit
}

// GuessChaseStates pre-ticks the states whose names read as waiting on the
// client (awaiting, waiting, information, records, documents, client,
// query…). It is a suggestion for the mapping screen, keyed by state name.
func GuessChaseStates(states []xpm.JobState) map[string]bool {
	out := make(map[string]bool, len(states))
	for _, s := range states {
		out[s.Name] = guessChase(s.Name)
	}
	return out
}

func stateKey(name string) string { return strings.ToLower(strings.TrimSpace(name)) }

// StateMapping is one job state and what the practice says it means.
type StateMapping struct {
	Name string `json:"name"`
	UUID string `json:"uuid,omitempty"`
	// Code is the Interface Code PUT job.api/state takes, as XPM gave it
	// (CodeSource "xpm"; in demo mode the demo practice) — never typed, so
	// SaveMapping ignores it. XPM's documented state list has UUID and name
	// only, so against a real XPM it may stay unknown ("" or a code typed
	// before this version, CodeSource "typed").
	Code       string `json:"code"`
	CodeSource string `json:"codeSource"`
	CodeKnown  bool   `json:"codeKnown"`
	Chase      bool   `json:"chase"` // jobs in this state wait on the client
	// Guessed is set while Chase is our guess and no person has saved it.
	Guessed bool `json:"guessed"`
	// MoveTo is the name of the state to offer when documents arrive ("" = none).
	MoveTo  string `json:"moveTo,omitempty"`
	Present bool   `json:"present"` // seen in the last sync
	Jobs    int    `json:"jobs"`    // current jobs in the state
}

// States lists the practice's job states in XPM's order, with the mapping.
func (s *Service) States(ctx context.Context) ([]StateMapping, error) {
	rows, err := s.db.SQL().QueryContext(ctx, `
		SELECT st.name, st.uuid, st.code, st.code_source, st.chase, st.mapped, COALESCE(mt.name, ''), st.present,
		       (SELECT COUNT(*) FROM xpm_jobs j WHERE j.tenant_id = st.tenant_id AND j.state_key = st.name_key)
		FROM xpm_states st
		LEFT JOIN xpm_states mt ON mt.tenant_id = st.tenant_id AND mt.name_key = st.move_to AND st.move_to != ''
		WHERE st.tenant_id = ?
		ORDER BY st.present DESC, st.ord, st.name_key`, s.tenant)
	if err != nil {
		return nil, fmt.Errorf("chase: states: %w", err)
	}
	defer rows.Close()
	var out []StateMapping
	for rows.Next() {
		var m StateMapping
		var chase, mapped, present int
		if err := rows.Scan(&m.Name, &m.UUID, &m.Code, &m.CodeSource, &chase, &mapped, &m.MoveTo, &present, &m.Jobs); err != nil {
			return nil, fmt.Errorf("chase: states: %w", err)
		}
		m.Chase, m.Guessed, m.Present, m.CodeKnown = chase != 0, mapped == 0, present != 0, m.Code != ""
		out = append(out, m)
	}
	return out, rows.Err()
}

// SaveMapping stores a person's mapping for the given states (by name);
// states not in ms keep theirs. Saved states are no longer guessed.
func (s *Service) SaveMapping(ctx context.Context, ms []StateMapping) error {
	return s.db.Tx(ctx, func(tx *sql.Tx) error {
		for _, m := range ms {
			key, move := stateKey(m.Name), stateKey(m.MoveTo)
			if move == key {
				return fmt.Errorf("chase: state %q cannot move to itself", m.Name)
			}
			if move != "" {
				var n int
				if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM xpm_states WHERE tenant_id = ? AND name_key = ?`, s.tenant, move).Scan(&n); err != nil {
					return fmt.Errorf("chase: save mapping: %w", err)
				}
				if n == 0 {
					return fmt.Errorf("chase: state %q: unknown state %q to move to", m.Name, m.MoveTo)
				}
			}
			// m.Code is never stored: the code sent to XPM is the one XPM gave.
			res, err := tx.ExecContext(ctx, `UPDATE xpm_states SET chase = ?, move_to = ?, mapped = 1
				WHERE tenant_id = ? AND name_key = ?`, boolInt(m.Chase), move, s.tenant, key)
			if err != nil {
				return fmt.Errorf("chase: save mapping %q: %w", m.Name, err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return fmt.Errorf("chase: save mapping: unknown state %q", m.Name)
			}
		}
		return nil
	})
}

// SetStateCodes records Interface Codes that the practice's XPM itself gave
// (by state name): in demo mode, the demo practice.
func (s *Service) SetStateCodes(ctx context.Context, codes map[string]string) error {
	for name, code := range codes {
		if code = strings.TrimSpace(code); code == "" {
			continue
		}
		if _, err := s.db.SQL().ExecContext(ctx, `UPDATE xpm_states SET code = ?, code_source = 'xpm' WHERE tenant_id = ? AND name_key = ?`,
			code, s.tenant, stateKey(name)); err != nil {
			return fmt.Errorf("chase: state code of %q: %w", name, err)
		}
	}
	return nil
}

// StateCode is the Interface Code of the state called name ("" = unknown).
func (s *Service) StateCode(ctx context.Context, name string) (string, error) {
	var code string
	err := s.db.SQL().QueryRowContext(ctx, `SELECT code FROM xpm_states WHERE tenant_id = ? AND name_key = ?`, s.tenant, stateKey(name)).Scan(&code)
	if err == sql.ErrNoRows {
		return "", fmt.Errorf("chase: unknown state %q", name)
	}
	if err != nil {
		return "", fmt.Errorf("chase: state %q: %w", name, err)
	}
	return code, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

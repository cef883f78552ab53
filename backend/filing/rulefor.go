package filing

import (
	"context"
	"fmt"
	"strings"

	"chase.md/backend/match"
)

// maxOtherFiles bounds how many of other clients' filed documents a
// suggested rule is tested against.
const maxOtherFiles = 5000

// RuleFor is the rule "always file files like this for this client" offered
// when a Review file is filed to contactID, or "" when no pattern would be
// specific to that client (see match.SpecificRule): a scanner's default name
// never becomes a rule, nor a pattern that would catch another client's files.
func (s *Service) RuleFor(ctx context.Context, reviewID int64, contactID string) (string, error) {
	r, f, err := s.review(ctx, reviewID)
	if err != nil {
		return "", err
	}
	return s.ruleFor(ctx, f.TenantID, r.Rel, strings.ToLower(contactID))
}

func (s *Service) ruleFor(ctx context.Context, tenantID, rel, contactID string) (string, error) {
	ct, err := s.o.DB.Contact(ctx, tenantID, contactID)
	if err != nil {
		return "", fmt.Errorf("filing: rule for %s: %w", rel, err)
	}
	// Other clients' documents: what was filed for them, and what their
	// watched-folder rules already claim.
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM upload_history WHERE tenant_id = ? AND contact_id <> ? AND outcome = 'done'
		ORDER BY id DESC LIMIT ?`, tenantID, contactID, maxOtherFiles)
	if err != nil {
		return "", fmt.Errorf("filing: rule for %s: other clients' files: %w", rel, err)
	}
	defer rows.Close()
	var others []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return "", err
		}
		others = append(others, n)
	}
	if err := rows.Err(); err != nil {
		return "", err
	}
	p := match.SpecificRule(rel, match.RuleClient{Name: ct.Name, AccountNumber: ct.AccountNumber}, others)
	if p == "" {
		return "", nil
	}
	// A rule already saved for another client with the same pattern would be overwritten: not specific either.
	rules, err := s.Rules(ctx, tenantID)
	if err != nil {
		return "", err
	}
	for _, ru := range rules {
		if ru.Pattern == p && ru.ContactID != contactID {
			return "", nil
		}
	}
	return p, nil
}

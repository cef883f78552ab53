package filing

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"chase.md/backend/match"
	"chase.md/backend/upload"
	"chase.md/backend/watch"
)

// Reviews lists the files waiting for a person, oldest first; folderID 0
// lists every folder's.
func (s *Service) Reviews(ctx context.Context, folderID int64) ([]Review, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT r.id, r.folder_id, f.path, r.rel, r.size, r.reason, r.refused, r.kind, r.suggestions, r.created_at
		FROM filing_review r JOIN filing_folders f ON f.id = r.folder_id
		WHERE r.dismissed = 0 AND (?1 = 0 OR r.folder_id = ?1) ORDER BY r.id`, folderID)
	if err != nil {
		return nil, fmt.Errorf("filing: review list: %w", err)
	}
	defer rows.Close()
	out := []Review{}
	for rows.Next() {
		var r Review
		var sj string
		var created int64
		if err := rows.Scan(&r.ID, &r.FolderID, &r.Folder, &r.Rel, &r.Size, &r.Reason, &r.Refused, &r.Kind, &sj, &created); err != nil {
			return nil, fmt.Errorf("filing: review list: %w", err)
		}
		_ = json.Unmarshal([]byte(sj), &r.Suggestions)
		r.Path = filepath.Join(r.Folder, r.Rel)
		r.CreatedAt = time.UnixMilli(created).UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// A file a person moved or deleted meanwhile is no longer to review
	// (a folder that is offline keeps its list).
	kept := out[:0]
	for _, r := range out {
		if _, err := os.Lstat(r.Path); errors.Is(err, fs.ErrNotExist) {
			if _, ferr := os.Stat(r.Folder); ferr == nil {
				s.dropReview(ctx, r.ID)
				continue
			}
		}
		kept = append(kept, r)
	}
	return kept, nil
}

type reviewRow struct {
	Review
	mtime int64
	sha   string
}

func (s *Service) review(ctx context.Context, id int64) (reviewRow, Folder, error) {
	var r reviewRow
	err := s.db.QueryRowContext(ctx, `SELECT id, folder_id, rel, size, mtime_ns, sha256, reason, refused FROM filing_review WHERE id = ?`, id).
		Scan(&r.ID, &r.FolderID, &r.Rel, &r.Size, &r.mtime, &r.sha, &r.Reason, &r.Refused)
	if errors.Is(err, sql.ErrNoRows) {
		return r, Folder{}, fmt.Errorf("filing: review %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, Folder{}, fmt.Errorf("filing: review %d: %w", id, err)
	}
	f, err := s.Folder(ctx, r.FolderID)
	return r, f, err
}

// ResolveReview files a Review file to the client a person chose. With
// saveRule, later files like it (RuleFor: a pattern specific to the client) go to that
// client by themselves, and other files waiting in Review that the rule
// now covers are filed too.
func (s *Service) ResolveReview(ctx context.Context, reviewID int64, contactID string, saveRule bool) error {
	r, f, err := s.review(ctx, reviewID)
	if err != nil {
		return err
	}
	contactID = strings.ToLower(contactID)
	var pattern string
	if saveRule {
		// Asked for before filing: a rule that is not specific to the client is refused, and the file stays.
		if pattern, err = s.ruleFor(ctx, f.TenantID, r.Rel, contactID); err != nil {
			return err
		}
		if pattern == "" {
			return fmt.Errorf("filing: %s has no name specific to this client (a scanner's default name, or one like other clients' files), so no rule can be saved for it; file it without the rule", r.Rel)
		}
	}
	if err := s.resolve(ctx, r, f, contactID, "your choice", s.o.UndoWindow); err != nil {
		return err
	}
	if !saveRule {
		return nil
	}
	if err := s.SaveRule(ctx, f.TenantID, pattern, contactID); err != nil {
		return err
	}
	return s.applyRules(ctx, f.TenantID)
}

func (s *Service) resolve(ctx context.Context, r reviewRow, f Folder, contactID, why string, hold time.Duration) error {
	if _, err := s.o.Contact(ctx, f.TenantID, contactID); err != nil {
		return fmt.Errorf("filing: %s: %w", r.Rel, err)
	}
	root, err := resolveRoot(f.Path)
	if err != nil {
		return fmt.Errorf("filing: %s: %s", r.Rel, plainError(f.Path, err))
	}
	file := watch.File{Path: filepath.Join(root, r.Rel), Rel: r.Rel, Size: r.Size, ModTime: time.Unix(0, r.mtime), SHA256: r.sha}
	c, err := watch.Claim(root, file, s.owner)
	if errors.Is(err, watch.ErrClaimedElsewhere) {
		s.dropReview(ctx, r.ID)
		return fmt.Errorf("filing: %s is no longer in %s (moved, deleted or filed by another computer)", r.Rel, f.Path)
	}
	if err != nil {
		if c != nil {
			c.Release()
		}
		return fmt.Errorf("filing: %s: %w", r.Rel, err)
	}
	if _, err := upload.Check(c.Path); err != nil {
		c.Release()
		return fmt.Errorf("filing: %s: %s", r.Rel, checkMessage(err))
	}
	// The row goes first: the file leaves the folder now, and a Review row
	// for a file that is not there would only confuse.
	s.dropReview(ctx, r.ID)
	return s.queue(ctx, f, root, c, contactID, why, hold)
}

func (s *Service) dropReview(ctx context.Context, id int64) {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM filing_review WHERE id = ?`, id); err != nil {
		s.log.Error("filing: forget a review", "id", id, "err", err)
	}
}

// DismissReview takes a file off the Review list and leaves it where it is;
// it is not offered again unless it changes.
func (s *Service) DismissReview(ctx context.Context, reviewID int64) error {
	res, err := s.db.ExecContext(ctx, `UPDATE filing_review SET dismissed = 1 WHERE id = ?`, reviewID)
	if err != nil {
		return fmt.Errorf("filing: dismiss review %d: %w", reviewID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("filing: review %d: %w", reviewID, ErrNotFound)
	}
	return nil
}

// SaveRule makes files matching pattern (see match.Rule) go to contactID in
// every folder of the organisation.
func (s *Service) SaveRule(ctx context.Context, tenantID, pattern, contactID string) error {
	if !match.ValidRule(pattern) {
		return fmt.Errorf("filing: %q is not a valid pattern", pattern)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO filing_rules (tenant_id, pattern, contact_id, created_at) VALUES (?,?,?,?)
		ON CONFLICT (tenant_id, pattern) DO UPDATE SET contact_id = excluded.contact_id`,
		tenantID, pattern, strings.ToLower(contactID), ms(s.o.Now()))
	if err != nil {
		return fmt.Errorf("filing: save rule %q: %w", pattern, err)
	}
	return nil
}

// Rule is a saved pattern → client.
type Rule struct {
	ID        int64  `json:"id"`
	TenantID  string `json:"tenantId"`
	Pattern   string `json:"pattern"`
	ContactID string `json:"contactId"`
}

// Rules lists an organisation's saved rules, oldest first (the first that
// matches wins).
func (s *Service) Rules(ctx context.Context, tenantID string) ([]Rule, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, tenant_id, pattern, contact_id FROM filing_rules WHERE tenant_id = ? ORDER BY id`, tenantID)
	if err != nil {
		return nil, fmt.Errorf("filing: rules: %w", err)
	}
	defer rows.Close()
	out := []Rule{}
	for rows.Next() {
		var r Rule
		if err := rows.Scan(&r.ID, &r.TenantID, &r.Pattern, &r.ContactID); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// DeleteRule forgets a rule.
func (s *Service) DeleteRule(ctx context.Context, id int64) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM filing_rules WHERE id = ?`, id); err != nil {
		return fmt.Errorf("filing: delete rule %d: %w", id, err)
	}
	return nil
}

func (s *Service) rules(ctx context.Context, tenantID string) ([]match.Rule, error) {
	rs, err := s.Rules(ctx, tenantID)
	if err != nil {
		return nil, err
	}
	out := make([]match.Rule, len(rs))
	for i, r := range rs {
		out[i] = match.Rule{Pattern: r.Pattern, ContactID: r.ContactID}
	}
	return out, nil
}

// applyRules files the tenant's Review files that its rules now cover.
func (s *Service) applyRules(ctx context.Context, tenantID string) error {
	return s.rematch(ctx, tenantID, 0, match.NewIndex(nil)) // rules need no contacts
}

// rematch files the tenant's Review files that match confidently now (folderID
// 0: of every folder): after a new rule, or after a sync brought new clients.
// Only files that wait for a match are looked at: never one refused (by the
// checks or by Xero, which would refuse it again), nor one the watcher is
// still waiting for.
func (s *Service) rematch(ctx context.Context, tenantID string, folderID int64, ix *match.Index) error {
	rules, err := s.rules(ctx, tenantID)
	if err != nil {
		return err
	}
	all, err := s.Reviews(ctx, folderID)
	if err != nil {
		return err
	}
	for _, rv := range all {
		if rv.Refused || rv.Kind != KindMatch {
			continue
		}
		r, f, err := s.review(ctx, rv.ID)
		if err != nil || f.TenantID != tenantID || f.Mode == ModeFixed || f.Paused {
			continue
		}
		res := ix.Match(r.Rel, match.Options{Mode: matchMode(f.Mode), Rules: rules})
		if res.Auto == nil {
			continue
		}
		if err := s.resolve(ctx, r, f, res.Auto.ContactID, res.Auto.Reason, 0); err != nil {
			s.log.Warn("filing: file a reviewed file", "file", r.Rel, "err", err)
		}
	}
	return nil
}

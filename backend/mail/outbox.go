package mail

import (
	"context"
	"embed"
	"fmt"
	"time"

	"chase.md/backend/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

func init() { store.Register(store.Schema{Owner: "mail", FS: migrations}) }

// OutboxMessage is one message in the demo outbox.
type OutboxMessage struct {
	ID        int64     `json:"id"`
	At        time.Time `json:"at"`
	MessageID string    `json:"messageId"`
	From      string    `json:"from"`
	ReplyTo   string    `json:"replyTo"`
	To        string    `json:"to"`
	Subject   string    `json:"subject"`
	Text      string    `json:"text"`
	HTML      string    `json:"html"`
}

// Outbox is the demo practice's sender: messages are stored in the local
// database for a person to open, and never leave the computer.
type Outbox struct {
	db   *store.DB
	from string
	now  func() time.Time
}

// NewOutbox keeps messages from from in db.
func NewOutbox(db *store.DB, from string, now func() time.Time) *Outbox {
	if now == nil {
		now = time.Now
	}
	return &Outbox{db: db, from: from, now: now}
}

// From is the address the messages come from.
func (o *Outbox) From() string { return o.from }

// Send stores m. The same Message-ID twice is kept once, as a mail server
// deduplicating it would.
func (o *Outbox) Send(ctx context.Context, m Message) error {
	if !ValidAddress(m.To) {
		return &Error{Kind: NoEmail, Words: "The client has no valid email address. Add one to the client in Xero (or XPM) and sync."}
	}
	at := m.Date
	if at.IsZero() {
		at = o.now()
	}
	_, err := o.db.SQL().ExecContext(ctx, `INSERT INTO mail_outbox (at, message_id, from_addr, reply_to, to_addr, subject, text_body, html_body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (message_id) DO NOTHING`,
		at.UnixMilli(), m.MessageID, o.from, o.from, m.To, m.Subject, m.Text, m.HTML)
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	return nil
}

// List returns the outbox, newest first (limit 0 = 100).
func (o *Outbox) List(ctx context.Context, limit int) ([]OutboxMessage, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := o.db.SQL().QueryContext(ctx, `SELECT id, at, message_id, from_addr, reply_to, to_addr, subject, text_body, html_body
		FROM mail_outbox ORDER BY at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("mail: outbox: %w", err)
	}
	defer rows.Close()
	out := []OutboxMessage{}
	for rows.Next() {
		var m OutboxMessage
		var at int64
		if err := rows.Scan(&m.ID, &at, &m.MessageID, &m.From, &m.ReplyTo, &m.To, &m.Subject, &m.Text, &m.HTML); err != nil {
			return nil, fmt.Errorf("mail: outbox: %w", err)
		}
		m.At = time.UnixMilli(at).UTC()
		out = append(out, m)
	}
	return out, rows.Err()
}

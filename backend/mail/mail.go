// Package mail sends the practice's emails: SMTP submission through the
// practice's own mailbox (587 STARTTLS or 465 TLS, with a login whose
// password lives in the OS keyring), or, in demo mode, an outbox kept in
// the local database that never leaves the computer. Failures are
// classified once, here, into what an accountant can act on.
package mail

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/mail"
	"strings"
	"time"
)

// Security is how the connection to the mail server is protected.
const (
	StartTLS = "starttls" // submission port 587: plain connection upgraded with STARTTLS (required)
	TLS      = "tls"      // port 465: TLS from the first byte
)

// Settings are the practice's mailbox. The password is not here: it is in
// the OS keyring (Passwords).
type Settings struct {
	Host        string `json:"host"`
	Port        int    `json:"port"`
	Security    string `json:"security"` // StartTLS or TLS
	Username    string `json:"username"`
	FromName    string `json:"fromName"`
	FromAddress string `json:"fromAddress"`
	ReplyTo     string `json:"replyTo"` // "" = FromAddress
}

// Check says in words what is missing or wrong.
func (s Settings) Check() error {
	switch {
	case strings.TrimSpace(s.Host) == "":
		return &Error{Kind: NotSetUp, Words: "Enter your mail server's name (for example smtp.office365.com)."}
	case s.Port <= 0 || s.Port > 65535:
		return &Error{Kind: NotSetUp, Words: "Enter the mail server's port: 587 (STARTTLS) or 465 (TLS)."}
	case s.Security != StartTLS && s.Security != TLS:
		return &Error{Kind: NotSetUp, Words: "Choose STARTTLS (port 587) or TLS (port 465)."}
	}
	if _, err := mail.ParseAddress(s.FromAddress); err != nil {
		return &Error{Kind: NotSetUp, Words: "Enter the practice's email address to send from."}
	}
	if s.ReplyTo != "" {
		if _, err := mail.ParseAddress(s.ReplyTo); err != nil {
			return &Error{Kind: NotSetUp, Words: "The reply-to address is not an email address."}
		}
	}
	return nil
}

// Message is one email to send.
type Message struct {
	// MessageID is chosen before sending (NewMessageID) and recorded by the
	// caller first, so a crash leaves a trace of what may have gone.
	MessageID string
	Date      time.Time
	To        string
	Subject   string
	Text      string
	HTML      string // "" = plain text only
}

// NewMessageID returns a fresh Message-ID (without angle brackets) in the
// domain of from.
func NewMessageID(from string) string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("mail: random: %v", err))
	}
	domain := "chase.md"
	if i := strings.LastIndexByte(from, '@'); i >= 0 && i < len(from)-1 {
		domain = strings.Trim(from[i+1:], "<> ")
	}
	return hex.EncodeToString(b[:]) + ".chase@" + domain
}

// ValidAddress reports whether to is one email address.
func ValidAddress(to string) bool {
	a, err := mail.ParseAddress(strings.TrimSpace(to))
	return err == nil && a.Address != ""
}

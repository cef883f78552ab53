package mail

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/textproto"
	"strings"

	gomail "github.com/wneessen/go-mail"
)

// Kind is what went wrong, as far as the practice can act on it.
type Kind string

// The kinds of failure.
const (
	Unreachable  Kind = "mail_unreachable" // no connection (DNS, refused, timeout, TLS)
	LoginRefused Kind = "mail_login"       // the server refused the username or password
	Refused      Kind = "mail_refused"     // refused for good (5xx): not retried
	TryLater     Kind = "mail_try_later"   // refused for now (4xx): retried with backoff
	// Unsure: the connection broke after the whole message was handed over
	// and before the server said it took it: it may have been sent.
	Unsure   Kind = "mail_unsure"
	NoEmail  Kind = "no_email"        // the client has no (valid) email address
	NotSetUp Kind = "mail_not_set_up" // the mailbox settings are incomplete
)

// Error is a classified failure with words for an accountant.
type Error struct {
	Kind  Kind
	Code  int    // the server's reply code, 0 = none
	Words string // what the practice reads
	Err   error  // the underlying error, for the log
}

var _ error = (*Error)(nil)

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("mail: %s: %v", e.Kind, e.Err)
	}
	return fmt.Sprintf("mail: %s: %s", e.Kind, e.Words)
}

func (e *Error) Unwrap() error { return e.Err }

// Retry reports whether sending again later may work (and cannot send twice).
func (e *Error) Retry() bool { return e.Kind == TryLater || e.Kind == Unreachable }

// KindOf is err's Kind ("" when err is not a classified mail error).
func KindOf(err error) Kind {
	var me *Error
	if errors.As(err, &me) {
		return me.Kind
	}
	return ""
}

// Words is what the practice reads about err.
func Words(err error) string {
	var me *Error
	if errors.As(err, &me) {
		return me.Words
	}
	if err == nil {
		return ""
	}
	return "The email could not be sent. The log has the details."
}

// phase is how far a send got when err happened.
type phase int

const (
	phaseDial phase = iota // connect, TLS, login
	phaseSend              // MAIL FROM … end of DATA
)

// classify turns an SMTP client error into an *Error. host is named in the words.
func classify(err error, ph phase, host, to string) *Error {
	if err == nil {
		return nil
	}
	var me *Error
	if errors.As(err, &me) {
		return me
	}
	code := replyCode(err)
	var se *gomail.SendError
	if errors.As(err, &se) {
		if c := se.ErrorCode(); c != 0 {
			code = c
		}
	}
	switch {
	case strings.Contains(err.Error(), "SMTP AUTH failed") || (ph == phaseDial && code == 535):
		return &Error{Kind: LoginRefused, Code: code, Err: err,
			Words: fmt.Sprintf("%s refused the login. Check the username and password under Settings › Email (some mailboxes need an app password).", host)}
	case code >= 400 && code < 500:
		return &Error{Kind: TryLater, Code: code, Err: err,
			Words: fmt.Sprintf("%s asked to try again later (%d). chase.md tries again by itself.", host, code)}
	case code >= 500 && se != nil && se.Reason == gomail.ErrSMTPRcptTo:
		return &Error{Kind: Refused, Code: code, Err: err,
			Words: fmt.Sprintf("%s refused the address %s (%d). Check the client's email address; this reminder is not retried.", host, to, code)}
	case code >= 500:
		return &Error{Kind: Refused, Code: code, Err: err,
			Words: fmt.Sprintf("%s refused the email (%d). It is not retried; the log has the server's reason.", host, code)}
	case se != nil && (se.Reason == gomail.ErrSMTPDataClose || se.Reason == gomail.ErrWriteContent):
		return &Error{Kind: Unsure, Err: err,
			Words: "The connection to the mail server broke while the email was being handed over: it may have been sent. Check your Sent items."}
	case ph == phaseDial || isNetwork(err):
		return &Error{Kind: Unreachable, Err: err,
			Words: fmt.Sprintf("chase.md could not reach the mail server %s. Check the server name and port under Settings › Email, and the internet connection; it tries again by itself.", host)}
	}
	return &Error{Kind: Unsure, Err: err,
		Words: "The mail server did not confirm the email: it may have been sent. Check your Sent items."}
}

func replyCode(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func isNetwork(err error) bool {
	var ne net.Error
	var oe *net.OpError
	var de *net.DNSError
	var ce *tls.CertificateVerificationError
	var ue x509.UnknownAuthorityError
	return errors.As(err, &ne) || errors.As(err, &oe) || errors.As(err, &de) || errors.As(err, &ce) || errors.As(err, &ue)
}

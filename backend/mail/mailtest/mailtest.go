// Package mailtest runs a real SMTP server (github.com/emersion/go-smtp) on
// loopback for tests: STARTTLS or implicit TLS with a certificate made for
// the test, PLAIN/LOGIN authentication, every accepted message kept, and
// faults on demand (a reply code at RCPT or at the end of DATA).
package mailtest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/mail"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Message is one message the server accepted.
type Message struct {
	From   string
	To     []string
	Raw    []byte
	Header mail.Header
	Body   []byte // the undecoded MIME body
}

// Fault answers a stage ("rcpt" or "data") of a delivery with an error;
// nil accepts. n counts the deliveries that reached the stage, from 1.
type Fault func(stage string, n int) *smtp.SMTPError

// Options configure a server.
type Options struct {
	ImplicitTLS bool   // TLS from the first byte (port 465 style); default STARTTLS
	User, Pass  string // required login; "" = any login accepted
	// OnData, if set, runs when a message's data has been read, before the
	// server answers (a test kills the sender there).
	OnData func(Message)
}

// Server is a running SMTP server.
type Server struct {
	Host string
	Port int
	// ClientTLS trusts the server's certificate; CAPEM is it in PEM (for a child process).
	ClientTLS *tls.Config
	CAPEM     []byte

	opts Options
	srv  *smtp.Server

	mu     sync.Mutex
	msgs   []Message
	fault  Fault
	counts map[string]int
	logins int
}

// Start runs a server until the test ends.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	cert, pool := certificate(t)
	s := &Server{opts: o, counts: map[string]int{}, ClientTLS: &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
		CAPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]})}
	s.srv = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &session{s: s}, nil }))
	s.srv.Domain = "mail.test"
	s.srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	s.srv.ReadTimeout, s.srv.WriteTimeout = 10*time.Second, 10*time.Second
	var l net.Listener
	var err error
	if o.ImplicitTLS {
		l, err = tls.Listen("tcp", "127.0.0.1:0", s.srv.TLSConfig)
	} else {
		l, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	s.Host, s.Port = "127.0.0.1", l.Addr().(*net.TCPAddr).Port
	go s.srv.Serve(l)
	t.Cleanup(func() { s.srv.Close() })
	return s
}

// Addr is host:port.
func (s *Server) Addr() string { return net.JoinHostPort(s.Host, strconv.Itoa(s.Port)) }

// Close stops the server (the port then refuses connections).
func (s *Server) Close() { s.srv.Close() }

// SetFault makes later deliveries fail as f says (nil: none).
func (s *Server) SetFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fault, s.counts = f, map[string]int{}
}

// Messages are the accepted messages, in order.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Message(nil), s.msgs...)
}

// Tries is how many deliveries reached stage ("rcpt", "data") since the last SetFault.
func (s *Server) Tries(stage string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[stage]
}

func (s *Server) check(stage string) error {
	s.mu.Lock()
	s.counts[stage]++
	f, n := s.fault, s.counts[stage]
	s.mu.Unlock()
	if f == nil {
		return nil
	}
	if e := f(stage, n); e != nil {
		return e
	}
	return nil
}

type session struct {
	s      *Server
	authed bool
	from   string
	to     []string
}

func (ss *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (ss *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, pass string) error {
		if ss.s.opts.User != "" && (user != ss.s.opts.User || pass != ss.s.opts.Pass) {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		ss.authed = true
		ss.s.mu.Lock()
		ss.s.logins++
		ss.s.mu.Unlock()
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.s.opts.User != "" && !ss.authed {
		return smtp.ErrAuthRequired
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := ss.s.check("rcpt"); err != nil {
		return err
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Message{From: ss.from, To: ss.to, Raw: raw}
	if pm, err := mail.ReadMessage(bytes.NewReader(raw)); err == nil {
		m.Header = pm.Header
		m.Body, _ = io.ReadAll(pm.Body)
	}
	if ss.s.opts.OnData != nil {
		ss.s.opts.OnData(m)
	}
	if err := ss.s.check("data"); err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.msgs = append(ss.s.msgs, m)
	ss.s.mu.Unlock()
	return nil
}

func (ss *session) Reset()        { ss.from, ss.to = "", nil }
func (ss *session) Logout() error { return nil }

// certificate makes a self-signed certificate for 127.0.0.1 and localhost.
func certificate(t testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mail.test"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(c)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: c}, pool
}

// ErrTemporary and ErrPermanent are typical faults.
var (
	ErrTemporary = &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	ErrMailbox   = &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
)

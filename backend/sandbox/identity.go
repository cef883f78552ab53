package sandbox

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
)

const (
	accessTokenLife  = 30 * time.Minute
	codeLife         = 5 * time.Minute
	refreshGrace     = 30 * time.Minute
	refreshTokenLife = 60 * 24 * time.Hour // unused refresh tokens expire after 60 days
)

type identity struct {
	requests    map[string]*authRequest // pending consent pages
	codes       map[string]*authCode
	access      map[string]*accessToken
	refresh     map[string]*refreshToken
	connections map[string]*connection // by tenant ID
	connected   map[string]bool        // tenant ID -> connected to the app
	grants      int                    // successful authorization_code exchanges
	refreshes   int                    // successful refresh_token exchanges
}

func newIdentity() *identity {
	return &identity{requests: map[string]*authRequest{}, codes: map[string]*authCode{},
		access: map[string]*accessToken{}, refresh: map[string]*refreshToken{},
		connections: map[string]*connection{}, connected: map[string]bool{}}
}

type authRequest struct {
	clientID, redirectURI, state, challenge string
	scopes                                  []string
	tenants                                 []*tenant
}

type authCode struct {
	authRequest
	authEvent string
	expires   time.Time
	used      bool
}

type grant struct {
	clientID  string
	scopes    []string
	authEvent string
}

type accessToken struct {
	grant
	expires time.Time
}

func (t *accessToken) hasAny(scopes []string) bool {
	for _, want := range scopes {
		for _, have := range t.scopes {
			if have == want {
				return true
			}
		}
	}
	return false
}

type refreshToken struct {
	grant
	issued    time.Time
	rotatedAt time.Time // zero while unused
	successor string
	used      bool // exchanged at least once
	revoked   bool
}

type connection struct {
	ID             string `json:"id"`
	AuthEventID    string `json:"authEventId"`
	TenantID       string `json:"tenantId"`
	TenantType     string `json:"tenantType"`
	TenantName     string `json:"tenantName"`
	CreatedDateUTC string `json:"createdDateUtc"`
	UpdatedDateUTC string `json:"updatedDateUtc"`
}

// knownScope reports whether Xero would recognise the scope.
func knownScope(sc string) bool {
	switch sc {
	case "openid", "profile", "email", "offline_access", "files", "files.read", "assets", "assets.read",
		"projects", "projects.read", "practicemanager":
		return true
	}
	for _, p := range []string{"accounting.", "payroll.", "practicemanager.", "finance.", "bankfeeds", "paymentservices", "app.connections", "marketplace."} {
		if strings.HasPrefix(sc, p) {
			return true
		}
	}
	return false
}

// validRedirect accepts what Xero accepts for a desktop app: https anywhere,
// plain http only to localhost (we also allow 127.0.0.1 and [::1]).
func validRedirect(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Fragment != "" || strings.Contains(raw, "*") {
		return false
	}
	switch u.Scheme {
	case "https":
		return true
	case "http":
		return isLoopbackHost(u.Hostname())
	}
	return false
}

// redirectAllowed is validRedirect, and when the app registered its
// redirect URIs, one of them exactly.
func (s *Server) redirectAllowed(raw string) bool {
	return validRedirect(raw) && (len(s.opts.RedirectURIs) == 0 || slices.Contains(s.opts.RedirectURIs, raw))
}

// SetRefuseXPMScopes makes the authorize page refuse any practicemanager
// scope, as Xero does for an app it has not given XPM access: its identity
// server shows its own error page ("unauthorized_client : Invalid scope for
// client") and never redirects back, so the app gets no callback at all.
// (developer.xero.com/documentation/oauth2/troubleshooting: an invalid scope
// gives "a 500 error screen"; XeroAPI/xero-python-oauth2-app#14 shows the
// message for the restricted paymentservices scope. IdentityServer, which
// Xero's endpoints follow, redirects only access_denied and the
// login/consent/interaction errors.)
func (s *Server) SetRefuseXPMScopes(refuse bool) {
	s.mu.Lock()
	s.noXPM = refuse
	s.mu.Unlock()
}

func (s *Server) refusesScopes(scopes []string) bool {
	s.mu.Lock()
	refuse := s.noXPM
	s.mu.Unlock()
	return refuse && slices.ContainsFunc(scopes, func(sc string) bool { return strings.HasPrefix(sc, "practicemanager") })
}

var errorPage = template.Must(template.New("e").Parse(`<!doctype html><html><head><title>Xero | Error</title></head>
<body><h1>Sorry, something went wrong</h1><p id="error">{{.}}</p></body></html>`))

var consentPage = template.Must(template.New("c").Parse(`<!doctype html><html><head><title>Xero | Authorise</title></head>
<body><h1>{{.App}} wants access to your Xero data</h1>
<form method="post" action="/identity/connect/consent">
<input type="hidden" name="request" value="{{.Request}}">
<ul>{{range .Scopes}}<li class="scope">{{.}}</li>{{end}}</ul>
<fieldset><legend>Select organisations</legend>
{{range .Tenants}}<label><input type="checkbox" name="tenant" value="{{.ID}}" checked> {{.Name}} ({{.Type}})</label><br>
{{end}}</fieldset>
<button type="submit" name="decision" value="allow">Allow access</button>
<button type="submit" name="decision" value="deny">Cancel</button>
</form></body></html>`))

var (
	consentForm    = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	consentRequest = regexp.MustCompile(`name="request" value="([^"]+)"`)
	consentTenant  = regexp.MustCompile(`name="tenant" value="([^"]+)"`)
)

// Consent is for tests of other packages that drive the real sign-in: it
// plays the person in the browser. It loads authURL with hc, allows every
// tenant the consent page offers and follows Xero's redirect to the app's
// callback. It returns the last page: the app's callback page, or Xero's
// error page when the authorize request was refused. With AutoConsent the
// first load already ends at the callback.
func Consent(hc *http.Client, authURL string) (status int, page string, err error) {
	return answerConsent(hc, authURL, "allow")
}

// Decline is Consent with the person pressing Cancel on the consent page.
func Decline(hc *http.Client, authURL string) (status int, page string, err error) {
	return answerConsent(hc, authURL, "deny")
}

func answerConsent(hc *http.Client, authURL, decision string) (status int, page string, err error) {
	resp, err := hc.Get(authURL)
	if err != nil {
		return 0, "", fmt.Errorf("sandbox: consent: load %s: %w", authURL, err)
	}
	page = readPage(resp)
	form, req := consentForm.FindStringSubmatch(page), consentRequest.FindStringSubmatch(page)
	if resp.StatusCode != http.StatusOK || form == nil || req == nil {
		return resp.StatusCode, page, nil
	}
	answer := url.Values{"request": {req[1]}, "decision": {decision}}
	for _, m := range consentTenant.FindAllStringSubmatch(page, -1) {
		answer.Add("tenant", m[1])
	}
	action, err := resp.Request.URL.Parse(form[1])
	if err != nil {
		return 0, "", fmt.Errorf("sandbox: consent: form action %q: %w", form[1], err)
	}
	if resp, err = hc.PostForm(action.String(), answer); err != nil {
		return 0, "", fmt.Errorf("sandbox: consent: submit: %w", err)
	}
	return resp.StatusCode, readPage(resp), nil
}

func readPage(resp *http.Response) string {
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	_ = r.ParseForm()
	q := r.Form
	clientID, redirect := q.Get("client_id"), q.Get("redirect_uri")
	if !s.clients[clientID] {
		htmlError(w, "unauthorized_client: Unknown client or client not enabled")
		return
	}
	if !s.redirectAllowed(redirect) {
		htmlError(w, "unauthorized_client : Invalid redirect_uri")
		return
	}
	state := q.Get("state")
	fail := func(code, desc string) {
		redirectTo(w, r, redirect, url.Values{"error": {code}, "error_description": {desc}, "state": {state}})
	}
	if q.Get("response_type") != "code" {
		fail("unsupported_response_type", "response_type must be code")
		return
	}
	scopes := strings.Fields(q.Get("scope"))
	if len(scopes) == 0 {
		fail("invalid_scope", "scope is required")
		return
	}
	for _, sc := range scopes {
		if !knownScope(sc) {
			fail("invalid_scope", "unknown scope "+sc)
			return
		}
	}
	if s.refusesScopes(scopes) {
		htmlError(w, "unauthorized_client : Invalid scope for client")
		return
	}
	challenge := q.Get("code_challenge")
	if challenge == "" || q.Get("code_challenge_method") != "S256" {
		fail("invalid_request", "code_challenge with code_challenge_method=S256 is required")
		return
	}
	if len(challenge) != 43 {
		fail("invalid_request", "code_challenge must be a base64url SHA-256 digest")
		return
	}
	s.mu.Lock()
	scopes = slices.DeleteFunc(scopes, func(sc string) bool { return slices.Contains(s.withheld, sc) })
	s.mu.Unlock()
	req := &authRequest{clientID: clientID, redirectURI: redirect, state: state, challenge: challenge,
		scopes: scopes, tenants: s.tenantsFor(scopes)}
	if s.opts.AutoConsent {
		s.issueCode(w, r, req, req.tenants)
		return
	}
	id := randomToken(16)
	s.mu.Lock()
	s.id.requests[id] = req
	s.mu.Unlock()
	var ts []map[string]string
	for _, t := range req.tenants {
		ts = append(ts, map[string]string{"ID": t.ID, "Name": t.Name, "Type": t.Type})
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_ = consentPage.Execute(w, map[string]any{"App": clientID, "Request": id, "Scopes": scopes, "Tenants": ts})
}

// tenantsFor lists the tenants a consent for these scopes offers: the
// organisations for accounting/files scopes, the practice for XPM scopes.
func (s *Server) tenantsFor(scopes []string) []*tenant {
	var org, xpm bool
	for _, sc := range scopes {
		switch {
		case strings.HasPrefix(sc, "practicemanager"):
			xpm = true
		case strings.HasPrefix(sc, "accounting.") || strings.HasPrefix(sc, "files"):
			org = true
		}
	}
	var out []*tenant
	for _, t := range s.tenants {
		if (t.Type == tenantOrganisation && org) || (t.Type == tenantPractice && xpm) {
			out = append(out, t)
		}
	}
	return out
}

func (s *Server) handleConsent(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		htmlError(w, "bad form")
		return
	}
	s.mu.Lock()
	req := s.id.requests[r.PostForm.Get("request")]
	delete(s.id.requests, r.PostForm.Get("request"))
	s.mu.Unlock()
	if req == nil {
		htmlError(w, "This authorisation request has expired or was already answered")
		return
	}
	if r.PostForm.Get("decision") != "allow" {
		redirectTo(w, r, req.redirectURI, url.Values{"error": {"access_denied"}, "state": {req.state}})
		return
	}
	chosen := map[string]bool{}
	for _, id := range r.PostForm["tenant"] {
		chosen[strings.ToLower(id)] = true
	}
	var picked []*tenant
	for _, t := range req.tenants {
		if chosen[t.ID] {
			picked = append(picked, t)
		}
	}
	s.issueCode(w, r, req, picked)
}

func (s *Server) issueCode(w http.ResponseWriter, r *http.Request, req *authRequest, picked []*tenant) {
	code := randomToken(32)
	now := s.now()
	s.mu.Lock()
	s.id.codes[code] = &authCode{authRequest: *req, authEvent: s.newIDLocked(), expires: now.Add(codeLife)}
	s.id.codes[code].tenants = picked
	s.mu.Unlock()
	v := url.Values{"code": {code}, "scope": {strings.Join(req.scopes, " ")}, "session_state": {randomToken(16)}}
	if req.state != "" {
		v.Set("state", req.state)
	}
	redirectTo(w, r, req.redirectURI, v)
}

func redirectTo(w http.ResponseWriter, r *http.Request, base string, v url.Values) {
	u, _ := url.Parse(base)
	q := u.Query()
	for k, vs := range v {
		if len(vs) > 0 && vs[0] != "" {
			q.Set(k, vs[0])
		}
	}
	u.RawQuery = q.Encode()
	http.Redirect(w, r, u.String(), http.StatusFound)
}

func htmlError(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	_ = errorPage.Execute(w, msg)
}

func oauthError(w http.ResponseWriter, code string) {
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusBadRequest, map[string]string{"error": code})
}

// clientID finds the client's id in the form body or in HTTP Basic, as
// Xero's identity server accepts both.
func clientID(r *http.Request) string {
	if id, _, ok := r.BasicAuth(); ok {
		if u, err := url.QueryUnescape(id); err == nil {
			return u
		}
		return id
	}
	return r.PostForm.Get("client_id")
}

func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.WriteHeader(http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		oauthError(w, "invalid_request")
		return
	}
	cid := clientID(r)
	if !s.clients[cid] {
		oauthError(w, "invalid_client")
		return
	}
	now := s.now()
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		s.exchangeCode(w, r, cid, now)
	case "refresh_token":
		s.exchangeRefresh(w, r, cid, now)
	case "":
		oauthError(w, "invalid_request")
	default:
		oauthError(w, "unsupported_grant_type")
	}
}

func pkceMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, c := range verifier {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.ContainsRune("-._~", c)) {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	got := base64.RawURLEncoding.EncodeToString(sum[:])
	return subtle.ConstantTimeCompare([]byte(got), []byte(challenge)) == 1
}

func (s *Server) exchangeCode(w http.ResponseWriter, r *http.Request, cid string, now time.Time) {
	f := r.PostForm
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.id.codes[f.Get("code")]
	if c == nil || c.used || now.After(c.expires) || c.clientID != cid || c.redirectURI != f.Get("redirect_uri") ||
		!pkceMatches(f.Get("code_verifier"), c.challenge) {
		if c != nil {
			c.used = true // a failed or replayed exchange burns the code
		}
		oauthError(w, "invalid_grant")
		return
	}
	c.used = true
	s.id.grants++
	for _, t := range c.tenants {
		conn := s.id.connections[t.ID]
		if conn == nil || !s.id.connected[t.ID] {
			conn = &connection{ID: s.newIDLocked(), TenantID: t.ID, TenantType: t.Type, TenantName: t.Name,
				CreatedDateUTC: filesTime(now)}
			s.id.connections[t.ID] = conn
		}
		conn.AuthEventID = c.authEvent
		conn.UpdatedDateUTC = filesTime(now)
		s.id.connected[t.ID] = true
	}
	s.writeTokensLocked(w, grant{clientID: cid, scopes: c.scopes, authEvent: c.authEvent}, now)
}

// exchangeRefresh rotates the refresh token on every use. A rotated token
// stays usable for refreshGrace, but only while its successor is unused:
// that covers a client that lost the response and retries.
func (s *Server) exchangeRefresh(w http.ResponseWriter, r *http.Request, cid string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rt := s.id.refresh[r.PostForm.Get("refresh_token")]
	if rt == nil || rt.revoked || rt.clientID != cid || now.Sub(rt.issued) > refreshTokenLife {
		oauthError(w, "invalid_grant")
		return
	}
	if !rt.rotatedAt.IsZero() {
		succ := s.id.refresh[rt.successor]
		if now.Sub(rt.rotatedAt) > refreshGrace || succ == nil || succ.used || succ.revoked {
			oauthError(w, "invalid_grant")
			return
		}
		succ.revoked = true // the retry's answer replaces the lost one
	}
	rt.used = true
	if rt.rotatedAt.IsZero() {
		rt.rotatedAt = now
	}
	s.id.refreshes++
	next := s.writeTokensLocked(w, rt.grant, now)
	rt.successor = next
}

// writeTokensLocked issues an access token and a rotated refresh token and
// returns the refresh token.
func (s *Server) writeTokensLocked(w http.ResponseWriter, g grant, now time.Time) string {
	access := jwtLike(map[string]any{"iss": "https://identity.xero.com", "client_id": g.clientID,
		"authentication_event_id": g.authEvent, "scope": g.scopes, "exp": now.Add(accessTokenLife).Unix(),
		"nbf": now.Unix(), "jti": randomToken(16)})
	s.id.access[access] = &accessToken{grant: g, expires: now.Add(accessTokenLife)}
	out := map[string]any{"access_token": access, "expires_in": int(accessTokenLife / time.Second),
		"token_type": "Bearer", "scope": strings.Join(g.scopes, " ")}
	var refresh string
	for _, sc := range g.scopes {
		switch sc {
		case "offline_access":
			refresh = randomToken(32)
			s.id.refresh[refresh] = &refreshToken{grant: g, issued: now}
			out["refresh_token"] = refresh
		case "openid":
			out["id_token"] = jwtLike(map[string]any{"iss": "https://identity.xero.com", "aud": g.clientID,
				"sub": "demo-user", "email": "demo@example.com", "given_name": "Dana", "family_name": "Demo",
				"preferred_username": "demo@example.com", "exp": now.Add(5 * time.Minute).Unix()})
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
	return refresh
}

func (s *Server) handleRevocation(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.ParseForm() != nil {
		oauthError(w, "invalid_request")
		return
	}
	if !s.clients[clientID(r)] {
		oauthError(w, "invalid_client")
		return
	}
	s.mu.Lock()
	if rt := s.id.refresh[r.PostForm.Get("token")]; rt != nil {
		rt.revoked = true
	}
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}

// bearer checks the Authorization header and writes Xero's 401 if it fails.
func (s *Server) bearer(w http.ResponseWriter, r *http.Request) (*accessToken, bool) {
	h := r.Header.Get("Authorization")
	const p = "bearer "
	var tok *accessToken
	if len(h) > len(p) && strings.EqualFold(h[:len(p)], p) {
		s.mu.Lock()
		tok = s.id.access[strings.TrimSpace(h[len(p):])]
		s.mu.Unlock()
	}
	detail := "AuthenticationUnsuccessful"
	if tok != nil {
		if now := s.now(); !now.Before(tok.expires) {
			detail = "TokenExpired: token expired at " + tok.expires.Format("01/02/2006 15:04:05")
			tok = nil
		}
	}
	if tok == nil {
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
		writeJSON(w, http.StatusUnauthorized, map[string]any{"Type": nil, "Title": "Unauthorized", "Status": 401,
			"Detail": detail, "Instance": s.newID(), "Extensions": map[string]any{}})
		return nil, false
	}
	return tok, true
}

func (s *Server) handleConnections(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.bearer(w, r); !ok {
		return
	}
	rest := strings.Trim(r.URL.Path[len("/connections"):], "/")
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case rest == "" && r.Method == http.MethodGet:
		event := strings.ToLower(r.URL.Query().Get("authEventId"))
		out := []connection{}
		for _, t := range s.tenants {
			c := s.id.connections[t.ID]
			if c != nil && s.id.connected[t.ID] && (event == "" || c.AuthEventID == event) {
				out = append(out, *c)
			}
		}
		writeJSON(w, http.StatusOK, out)
	case rest != "" && r.Method == http.MethodDelete:
		for tid, c := range s.id.connections {
			if c.ID == strings.ToLower(rest) && s.id.connected[tid] {
				s.id.connected[tid] = false
				w.WriteHeader(http.StatusNoContent)
				return
			}
		}
		writeJSON(w, http.StatusNotFound, map[string]any{"Title": "NotFound", "Status": 404, "Detail": "Connection not found"})
	default:
		w.WriteHeader(http.StatusMethodNotAllowed)
	}
}

func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// jwtLike builds an opaque token shaped like Xero's JWTs (header.payload.sig).
// Nothing may rely on its contents; the sandbox looks tokens up by value.
func jwtLike(claims map[string]any) string {
	h, _ := json.Marshal(map[string]string{"alg": "RS256", "kid": "sandbox", "typ": "JWT"})
	c, _ := json.Marshal(claims)
	return base64.RawURLEncoding.EncodeToString(h) + "." + base64.RawURLEncoding.EncodeToString(c) + "." + randomToken(64)
}

// IssueToken is for tests of other packages that do not want to drive the
// authorize page: it connects every tenant and returns a fresh access token
// and refresh token for the first accepted client id and the given scopes.
func (s *Server) IssueToken(scopes ...string) (accessToken, refreshToken string) {
	if len(scopes) == 0 {
		scopes = []string{"openid", "profile", "email", "offline_access", "accounting.contacts", "files",
			"practicemanager.job.read", "practicemanager.client.read", "practicemanager"}
	}
	now := s.now()
	rec := &memWriter{h: http.Header{}}
	s.mu.Lock()
	defer s.mu.Unlock()
	event := s.newIDLocked()
	for _, t := range s.tenants {
		if s.id.connections[t.ID] == nil || !s.id.connected[t.ID] {
			s.id.connections[t.ID] = &connection{ID: s.newIDLocked(), TenantID: t.ID, TenantType: t.Type,
				TenantName: t.Name, CreatedDateUTC: filesTime(now)}
		}
		s.id.connections[t.ID].AuthEventID = event
		s.id.connections[t.ID].UpdatedDateUTC = filesTime(now)
		s.id.connected[t.ID] = true
	}
	refresh := s.writeTokensLocked(rec, grant{clientID: s.opts.ClientIDs[0], scopes: scopes, authEvent: event}, now)
	var out struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.Unmarshal(rec.body, &out)
	return out.AccessToken, refresh
}

// memWriter is a minimal in-memory ResponseWriter.
type memWriter struct {
	h      http.Header
	status int
	body   []byte
}

func (m *memWriter) Header() http.Header { return m.h }
func (m *memWriter) WriteHeader(c int) {
	if m.status == 0 {
		m.status = c
	}
}
func (m *memWriter) Write(b []byte) (int, error) {
	if m.status == 0 {
		m.status = 200
	}
	m.body = append(m.body, b...)
	return len(b), nil
}

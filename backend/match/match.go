// Package match finds the client a document belongs to from its path inside
// a watched folder. It is pure: an Index is built from the contacts, kept
// current by Update, and Match does no I/O, so it can be called for every
// file of a 10,000-file drop.
//
// A path is compared with every name a contact goes by (its name, first and
// last name, its contact persons) after normalisation (case, accents,
// punctuation, company forms such as Ltd/Pty/LLC/&, document words such as
// "invoice" or "2024"), tolerating a typo or two in longer words. An exact
// account number, contact number or email in the file name wins over names.
// Rules saved from a person's choice win over everything.
package match

import (
	"cmp"
	"math"
	"math/bits"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Candidate is a contact as the matcher sees it.
type Candidate struct {
	ContactID, Name, FirstName, LastName, Email string
	AccountNumber, ContactNumber                string
	PersonNames                                 []string
	PersonEmails                                []string
	Archived                                    bool
}

// Mode says which part of the path names the client.
type Mode int

const (
	// ModeAuto uses both the sub-folder names and the file name.
	ModeAuto Mode = iota
	// ModeSubfolder uses only the sub-folder names ("Acme Ltd/scan 12.pdf").
	ModeSubfolder
	// ModeFileName uses only the file name ("Acme Ltd invoice.pdf").
	ModeFileName
	// ModeFixed files everything to Options.ContactID.
	ModeFixed
)

// Rule files paths matching Pattern to ContactID. Pattern is a glob
// (path.Match syntax, case-insensitive, "/" separated); a pattern without "/"
// is tried against the file name and each folder name, one with "/" against
// the whole relative path.
type Rule struct {
	Pattern   string
	ContactID string
}

// Options tune one Match call. The zero value is usable.
type Options struct {
	Mode      Mode
	ContactID string  // for ModeFixed
	Threshold float64 // confidence needed to file automatically; default 0.85
	Margin    float64 // the best must beat the second by this much; default 0.05
	Max       int     // suggestions returned; default 5
	Rules     []Rule  // first match wins, before any fuzzy matching
}

// DefaultThreshold and DefaultMargin apply when Options leaves them zero.
const (
	DefaultThreshold = 0.85
	DefaultMargin    = 0.05
)

// Suggestion is one possible client for a path.
type Suggestion struct {
	ContactID  string
	Name       string
	Confidence float64 // 0..1
	Reason     string  // e.g. "sub-folder name", "account number ACC-0042 in file name"
}

// Result lists the best suggestions, highest confidence first. Auto is set
// only when the best is confident enough, not archived, and clearly ahead of
// the second; otherwise the file belongs in the Review list.
type Result struct {
	Best []Suggestion
	Auto *Suggestion
}

// Weights of the evidence kinds. Identifiers are near-certain; a contact
// person's name is weaker than the contact's own name.
const (
	confAccount      = 0.98
	confContactNum   = 0.97
	confEmail        = 0.97
	confPersonEmail  = 0.95
	weightPerson     = 0.92
	scoreInitial     = 0.5
	penaltyPerEdit   = 0.12
	precisionWeight  = 0.45
	minSuggestion    = 0.35
	maxIDWindowParts = 3
	maxQueryWords    = 64
	docOnlyWeight    = 0.5
	commonPostings   = 1000
)

type variant struct {
	cand   int32
	tokens []string
	weight float64
	kind   string // "name", "contact person's name"
	joined bool   // all words glued together; matched exactly only
}

type idHit struct {
	cand int32
	conf float64
	kind string // "account number", ...
	orig string
}

// Index is a lookup structure over candidates. Match may be called from many
// goroutines at once; Update changes candidates in place while they wait.
type Index struct {
	mu       sync.RWMutex
	cands    []Candidate
	byID     map[string]int32
	variants []variant
	varsOf   [][]int32           // candidate → its variants
	dead     int                 // variants no longer listed (their candidate changed)
	post     map[string][]int32  // token → variants containing it (once per occurrence), ascending
	dels     map[string][]string // deletion variant → vocabulary tokens, for typos
	vocab    map[string]struct{} // tokens whose deletions are in dels
	ids      map[string][]idHit  // compact account/contact number → hits
	emails   map[string][]idHit  // lowercase email → hits
	scratch  chan *accum         // free list; unlike sync.Pool it survives GC, and an accum is large
}

// accum is per-call scratch: a score and an explained-words mask per variant.
type accum struct {
	sum      []float64
	mask     []uint64
	touched  []int32
	best     []float64 // per candidate
	bestKind []string
	cands    []int32 // candidates with best > 0
}

// NewIndex builds the index (well under a second for 10,000 contacts); keep
// it current with Update rather than building it again.
func NewIndex(cs []Candidate) *Index {
	ix := &Index{scratch: make(chan *accum, runtime.GOMAXPROCS(0))}
	ix.build(cs)
	return ix
}

func (ix *Index) build(cs []Candidate) {
	ix.cands = make([]Candidate, 0, len(cs))
	ix.byID = make(map[string]int32, len(cs))
	ix.variants, ix.varsOf, ix.dead = nil, make([][]int32, 0, len(cs)), 0
	ix.post = make(map[string][]int32)
	ix.dels = make(map[string][]string)
	ix.vocab = make(map[string]struct{})
	ix.ids = make(map[string][]idHit)
	ix.emails = make(map[string][]idHit)
	for _, c := range cs {
		if c.ContactID == "" {
			continue
		}
		if _, dup := ix.byID[c.ContactID]; dup {
			continue
		}
		i := int32(len(ix.cands))
		ix.byID[c.ContactID] = i
		ix.cands = append(ix.cands, c)
		ix.varsOf = append(ix.varsOf, nil)
		ix.add(i)
	}
}

// Update puts changed and new candidates in the index in place: a contact
// sync touches the few names it changed instead of rebuilding the index from
// every contact. A candidate is known by its ContactID.
func (ix *Index) Update(cs []Candidate) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	for _, c := range cs {
		if c.ContactID == "" {
			continue
		}
		i, known := ix.byID[c.ContactID]
		if !known {
			i = int32(len(ix.cands))
			ix.byID[c.ContactID] = i
			ix.cands = append(ix.cands, c)
			ix.varsOf = append(ix.varsOf, nil)
			ix.add(i)
			continue
		}
		ix.remove(i)
		ix.cands[i] = c
		ix.add(i)
	}
	// Variants of changed candidates stay as unlisted slots; past half the
	// index, building it again is cheaper than carrying them.
	if ix.dead > len(ix.variants)/2 {
		ix.build(ix.cands)
	}
}

// add lists candidate i's names, identifiers and emails.
func (ix *Index) add(i int32) {
	c := ix.cands[i]
	addVariant := func(name string, w float64, kind string) {
		ts := coreTokens(nameTokens(name))
		if len(ts) == 0 {
			return
		}
		if len(ts) > 64 {
			ts = ts[:64]
		}
		ix.variants = append(ix.variants, variant{cand: i, tokens: ts, weight: w, kind: kind})
		if len(ts) > 1 {
			// "AcmeWidgets" or "acmewidgets" in a file name.
			ix.variants = append(ix.variants, variant{cand: i, tokens: []string{strings.Join(ts, "")}, weight: w, kind: kind, joined: true})
		}
	}
	first := len(ix.variants)
	addVariant(c.Name, 1, "name")
	if full := strings.TrimSpace(c.FirstName + " " + c.LastName); full != "" && !strings.EqualFold(full, c.Name) {
		addVariant(full, 1, "name")
	}
	for _, p := range c.PersonNames {
		addVariant(p, weightPerson, "contact person's name")
	}
	var scratch map[string]struct{}
	for vi := first; vi < len(ix.variants); vi++ {
		ix.varsOf[i] = append(ix.varsOf[i], int32(vi))
		v := ix.variants[vi]
		for _, t := range v.tokens {
			ix.post[t] = append(ix.post[t], int32(vi)) // vi is the newest: the list stays ascending
			if _, seen := ix.vocab[t]; !seen && !v.joined && fuzzyOK(t) {
				ix.vocab[t] = struct{}{}
				if scratch == nil {
					scratch = map[string]struct{}{}
				}
				clear(scratch)
				deletes(t, maxEdits(t), scratch)
				for d := range scratch {
					ix.dels[d] = append(ix.dels[d], t)
				}
			}
		}
	}
	ix.eachID(c, func(m map[string][]idHit, key string, conf float64, kind, orig string) {
		m[key] = append(m[key], idHit{cand: i, conf: conf, kind: kind, orig: orig})
	})
}

// remove unlists candidate i. Its vocabulary stays in dels: a token no list
// holds any more is skipped by matchNames (it checks post).
func (ix *Index) remove(i int32) {
	for _, vi := range ix.varsOf[i] {
		for _, t := range ix.variants[vi].tokens {
			l := ix.post[t]
			if k, ok := slices.BinarySearch(l, vi); ok {
				l = slices.Delete(l, k, k+1)
			}
			if len(l) == 0 {
				delete(ix.post, t)
			} else {
				ix.post[t] = l
			}
		}
		ix.variants[vi] = variant{cand: i}
		ix.dead++
	}
	ix.varsOf[i] = ix.varsOf[i][:0]
	ix.eachID(ix.cands[i], func(m map[string][]idHit, key string, _ float64, _, _ string) {
		l := slices.DeleteFunc(m[key], func(h idHit) bool { return h.cand == i })
		if len(l) == 0 {
			delete(m, key)
		} else {
			m[key] = l
		}
	})
}

// eachID calls fn with each identifier of c matched exactly: account and
// contact numbers, the contact's and its persons' emails.
func (ix *Index) eachID(c Candidate, fn func(m map[string][]idHit, key string, conf float64, kind, orig string)) {
	addID := func(m map[string][]idHit, key string, conf float64, kind, orig string) {
		if len(key) < 3 {
			return // "42" would match dates and page numbers
		}
		fn(m, key, conf, kind, orig)
	}
	addID(ix.ids, compact(c.AccountNumber), confAccount, "account number", c.AccountNumber)
	if c.ContactNumber != c.AccountNumber {
		addID(ix.ids, compact(c.ContactNumber), confContactNum, "contact number", c.ContactNumber)
	}
	addID(ix.emails, strings.ToLower(strings.TrimSpace(c.Email)), confEmail, "email", c.Email)
	for _, e := range c.PersonEmails {
		addID(ix.emails, strings.ToLower(strings.TrimSpace(e)), confPersonEmail, "contact person's email", e)
	}
}

// fuzzyOK says whether a word may match with typos: numbers must match
// exactly, and very long "words" are noise.
func fuzzyOK(t string) bool {
	return maxEdits(t) > 0 && !isNumber(t) && len(t) <= 32
}

// Len reports how many candidates the index holds.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.cands)
}

// qtok is a query token. Compound tokens (a camelCase word kept whole, or two
// adjacent words joined) cover several base tokens.
type qtok struct {
	text  string
	cover []int // base token positions explained when this token matches
}

type query struct {
	toks  []qtok
	base  []string // base tokens
	where string   // "sub-folder name" / "file name"
}

func parseQuery(seg, where string) query {
	q := query{where: where}
	for _, w := range words(fold(seg)) {
		parts := splitCamel(w)
		if len(q.base)+len(parts) > maxQueryWords {
			break // masks are 64-bit; nobody names a client in word 65
		}
		first := len(q.base)
		for _, p := range parts {
			p = strings.ToLower(p)
			q.toks = append(q.toks, qtok{text: p, cover: []int{len(q.base)}})
			q.base = append(q.base, p)
		}
		if len(parts) > 1 {
			cov := make([]int, 0, len(parts))
			for k := first; k < len(q.base); k++ {
				cov = append(cov, k)
			}
			q.toks = append(q.toks, qtok{text: strings.ToLower(w), cover: cov})
		}
	}
	for k := 0; k+1 < len(q.base); k++ {
		q.toks = append(q.toks, qtok{text: q.base[k] + q.base[k+1], cover: []int{k, k + 1}})
	}
	return q
}

// near is the best similarity of a vocabulary token to some query token.
type near struct {
	score float64
	tok   int // index into query.toks
}

type scored struct {
	cand   int32
	conf   float64
	reason string
}

// Match suggests the client for relPath (relative to the watched folder,
// either separator).
func (ix *Index) Match(relPath string, opts Options) Result {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if opts.Threshold == 0 {
		opts.Threshold = DefaultThreshold
	}
	if opts.Margin == 0 {
		opts.Margin = DefaultMargin
	}
	if opts.Max <= 0 {
		opts.Max = 5
	}
	rel := strings.Trim(filepath.ToSlash(relPath), "/")
	if strings.Contains(relPath, `\`) {
		rel = strings.Trim(strings.ReplaceAll(relPath, `\`, "/"), "/")
	}

	for _, r := range opts.Rules {
		if ruleMatches(r.Pattern, rel) {
			s := Suggestion{ContactID: r.ContactID, Name: ix.name(r.ContactID), Confidence: 1,
				Reason: "rule " + r.Pattern}
			return Result{Best: []Suggestion{s}, Auto: &s}
		}
	}
	if opts.Mode == ModeFixed {
		if opts.ContactID == "" {
			return Result{}
		}
		s := Suggestion{ContactID: opts.ContactID, Name: ix.name(opts.ContactID), Confidence: 1,
			Reason: "folder files to one client"}
		return Result{Best: []Suggestion{s}, Auto: &s}
	}

	parts := strings.Split(rel, "/")
	base := parts[len(parts)-1]
	dirs := parts[:len(parts)-1]

	best := map[int32]scored{}
	consider := func(s scored) {
		if s.conf < minSuggestion {
			return
		}
		if old, ok := best[s.cand]; !ok || s.conf > old.conf {
			best[s.cand] = s
		}
	}
	if opts.Mode == ModeAuto || opts.Mode == ModeSubfolder {
		for _, d := range dirs {
			ix.matchIDs(d, "sub-folder name", consider)
			ix.matchNames(parseQuery(d, "sub-folder name"), consider)
		}
	}
	if opts.Mode == ModeAuto || opts.Mode == ModeFileName {
		ix.matchEmails(base, consider)
		stem := strings.TrimSuffix(base, path.Ext(base))
		ix.matchIDs(stem, "file name", consider)
		ix.matchNames(parseQuery(stem, "file name"), consider)
	}

	list := make([]scored, 0, len(best))
	for _, s := range best {
		list = append(list, s)
	}
	// Only the top few are needed: partition first, then sort those.
	byConf := func(a, b scored) int {
		if a.conf != b.conf {
			return cmp.Compare(b.conf, a.conf)
		}
		return cmp.Compare(a.cand, b.cand)
	}
	if len(list) > 4*opts.Max {
		cut := topCut(list, opts.Max+1)
		list = slices.DeleteFunc(list, func(s scored) bool { return s.conf < cut })
	}
	slices.SortFunc(list, byConf)
	var res Result
	for k, s := range list {
		if k == opts.Max {
			break
		}
		c := ix.cands[s.cand]
		res.Best = append(res.Best, Suggestion{ContactID: c.ContactID, Name: c.Name,
			Confidence: s.conf, Reason: s.reason})
	}
	if len(list) > 0 {
		top := list[0]
		ahead := len(list) == 1 || top.conf-list[1].conf >= opts.Margin
		if top.conf >= opts.Threshold && ahead && !ix.cands[top.cand].Archived {
			a := res.Best[0]
			res.Auto = &a
		}
	}
	return res
}

// topCut returns the k-th highest confidence in list (k ≤ len(list)).
func topCut(list []scored, k int) float64 {
	h := make([]float64, 0, k) // small sorted buffer, descending
	for _, s := range list {
		if len(h) == k && s.conf <= h[k-1] {
			continue
		}
		i, _ := slices.BinarySearchFunc(h, s.conf, func(e, t float64) int { return cmp.Compare(t, e) })
		if len(h) < k {
			h = append(h, 0)
		}
		copy(h[i+1:], h[i:len(h)-1])
		h[i] = s.conf
	}
	return h[len(h)-1]
}

func (ix *Index) name(id string) string {
	if i, ok := ix.byID[id]; ok {
		return ix.cands[i].Name
	}
	return ""
}

func ruleMatches(pattern, rel string) bool {
	// Patterns are "/"-separated on every OS; "\" escapes, as in path.Match.
	p := strings.ToLower(strings.Trim(strings.TrimSpace(pattern), "/"))
	if p == "" {
		return false
	}
	r := strings.ToLower(rel)
	if strings.Contains(p, "/") {
		ok, err := path.Match(p, r)
		return err == nil && ok
	}
	for _, part := range strings.Split(r, "/") {
		if ok, err := path.Match(p, part); err == nil && ok {
			return true
		}
	}
	return false
}

// ValidRule reports whether a rule pattern is a well-formed glob.
func ValidRule(pattern string) bool {
	_, err := path.Match(strings.ToLower(pattern), "")
	return err == nil && strings.TrimSpace(pattern) != ""
}

// matchIDs looks for account and contact numbers as runs of up to three
// adjacent words, so "ACC-0042", "ACC 0042" and "acc0042" all match but
// "ACC00421" does not.
func (ix *Index) matchIDs(seg, where string, consider func(scored)) {
	ws := words(fold(seg))
	for i := range ws {
		key := ""
		for j := i; j < len(ws) && j < i+maxIDWindowParts; j++ {
			key += strings.ToLower(ws[j])
			for _, h := range ix.ids[key] {
				consider(scored{cand: h.cand, conf: h.conf, reason: h.kind + " " + h.orig + " in " + where})
			}
		}
	}
}

// matchEmails finds "local@domain" in the file name, trying the domain with
// trailing ".ext" parts removed ("bob@acme.com.pdf").
func (ix *Index) matchEmails(base string, consider func(scored)) {
	s := strings.ToLower(base)
	for at := strings.IndexByte(s, '@'); at >= 0; {
		l := at
		for l > 0 && isEmailLocal(s[l-1]) {
			l--
		}
		r := at + 1
		for r < len(s) && isEmailDomain(s[r]) {
			r++
		}
		cand := s[l:r]
		for cand != "" && l < at {
			for _, h := range ix.emails[cand] {
				consider(scored{cand: h.cand, conf: h.conf, reason: h.kind + " " + h.orig + " in file name"})
			}
			dot := strings.LastIndexByte(cand, '.')
			if dot <= at-l {
				break
			}
			cand = cand[:dot]
		}
		next := strings.IndexByte(s[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
}

func isEmailLocal(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || strings.IndexByte("._%+-", c) >= 0
}

func isEmailDomain(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-'
}

// matchNames scores every name variant sharing a word (or a near-miss of
// one) with the query, accumulating over posting lists so the cost depends
// on how many names share the words, not on the number of contacts.
func (ix *Index) matchNames(q query, consider func(scored)) {
	if len(q.base) == 0 || len(ix.variants) == 0 {
		return
	}
	// Vocabulary words close to some query token, with their best score.
	nearby := map[string]near{}
	note := func(v string, s float64, ti int) {
		if _, ok := ix.post[v]; !ok {
			return
		}
		if old, ok := nearby[v]; !ok || s > old.score || s == old.score && len(q.toks[ti].cover) > len(q.toks[old.tok].cover) {
			nearby[v] = near{score: s, tok: ti}
		}
	}
	scratch := map[string]struct{}{}
	for ti, qt := range q.toks {
		note(qt.text, 1, ti)
		if !fuzzyOK(qt.text) {
			continue
		}
		d := maxEdits(qt.text)
		clear(scratch)
		deletes(qt.text, d, scratch)
		for del := range scratch {
			for _, v := range ix.dels[del] {
				if v == qt.text {
					continue
				}
				md := min(d, maxEdits(v))
				if dist := damerau(v, qt.text, md); dist <= md {
					note(v, 1-penaltyPerEdit*float64(dist), ti)
				}
			}
		}
	}
	if len(nearby) == 0 {
		return
	}

	masks := make([]uint64, len(q.toks))
	for ti, qt := range q.toks {
		for _, b := range qt.cover {
			masks[ti] |= 1 << uint(b)
		}
	}
	var countable, initials uint64
	for b, t := range q.base {
		if !docWords[t] && !legal[t] && !isNumber(t) && len(t) > 1 {
			countable |= 1 << uint(b)
		}
		if len([]rune(t)) == 1 {
			initials |= 1 << uint(b)
		}
	}

	var acc *accum
	select {
	case acc = <-ix.scratch:
		if len(acc.sum) < len(ix.variants) || len(acc.best) < len(ix.cands) {
			acc = nil // made before Update added to the index
		}
	default:
	}
	if acc == nil {
		n := len(ix.variants)
		acc = &accum{sum: make([]float64, n), mask: make([]uint64, n),
			best: make([]float64, len(ix.cands)), bestKind: make([]string, len(ix.cands))}
	}
	defer func() {
		for _, vi := range acc.touched {
			acc.sum[vi], acc.mask[vi] = 0, 0
		}
		for _, ci := range acc.cands {
			acc.best[ci] = 0
		}
		acc.touched, acc.cands = acc.touched[:0], acc.cands[:0]
		select {
		case ix.scratch <- acc:
		default:
		}
	}()
	// Words shared by thousands of names ("Trust", "Family") would make
	// every call touch most of the index. They only add to names found
	// through rarer words, unless the query has nothing rarer.
	add := func(vi int32, n near) {
		if acc.sum[vi] == 0 {
			acc.touched = append(acc.touched, vi)
		}
		acc.sum[vi] += n.score
		acc.mask[vi] |= masks[n.tok]
	}
	var common map[string]near
	for v, n := range nearby {
		if len(ix.post[v]) > commonPostings {
			if common == nil {
				common = map[string]near{}
			}
			common[v] = n
			continue
		}
		for _, vi := range ix.post[v] {
			add(vi, n)
		}
	}
	if len(common) > 0 {
		if len(acc.touched) == 0 {
			for v, n := range common {
				for _, vi := range ix.post[v] {
					add(vi, n)
				}
			}
		} else {
			for _, vi := range acc.touched {
				for _, t := range ix.variants[vi].tokens {
					if n, ok := common[t]; ok {
						add(vi, n)
					}
				}
			}
		}
	}

	for _, vi := range acc.touched {
		v := &ix.variants[vi]
		sum, mask := acc.sum[vi], acc.mask[vi]
		if initials != 0 && len(v.tokens) > 1 {
			// "J Smith" for John Smith: an initial counts for a little, but
			// never on its own and never for the last word.
			for _, t := range v.tokens[:len(v.tokens)-1] {
				if _, ok := nearby[t]; ok {
					continue
				}
				r0 := []rune(t)[0]
				for b, qb := range q.base {
					if initials&(1<<uint(b)) != 0 && []rune(qb)[0] == r0 {
						sum += scoreInitial
						mask |= 1 << uint(b)
						break
					}
				}
			}
		}
		coverage := math.Min(1, sum/float64(len(v.tokens)))
		exp := bits.OnesCount64(mask)
		unexp := bits.OnesCount64(countable &^ mask)
		precision := float64(exp) / float64(exp+unexp)
		conf := coverage * (1 - precisionWeight + precisionWeight*precision) * v.weight
		if mask&countable == 0 {
			// Only document words matched: a client called "Scan Ltd" must
			// not collect every "scan_0001.pdf".
			conf *= docOnlyWeight
		}
		if conf > acc.best[v.cand] {
			if acc.best[v.cand] == 0 {
				acc.cands = append(acc.cands, v.cand)
			}
			acc.best[v.cand], acc.bestKind[v.cand] = conf, v.kind
		}
	}
	for _, ci := range acc.cands {
		conf := math.Min(1, math.Max(0, acc.best[ci]))
		if conf < minSuggestion {
			continue
		}
		reason := q.where
		if k := acc.bestKind[ci]; k != "name" {
			reason = k + " in " + q.where
		} else if q.where == "file name" {
			reason = "name in file name"
		}
		consider(scored{cand: ci, conf: conf, reason: reason})
	}
}

// SuggestRule proposes a rule pattern for a person's choice in the Review
// list, for the UI to show and let them edit: the top sub-folder's name when
// there is one (any file below a folder of that name), otherwise the file
// name with its digit runs (dates, page and scan numbers) replaced by "*".
func SuggestRule(relPath string) string {
	rel := strings.Trim(strings.ReplaceAll(filepath.ToSlash(relPath), `\`, "/"), "/")
	parts := strings.Split(rel, "/")
	if len(parts) > 1 && parts[0] != "" {
		return globEscape(strings.ToLower(parts[0]))
	}
	var b strings.Builder
	star := false
	for _, r := range strings.ToLower(parts[len(parts)-1]) {
		if r >= '0' && r <= '9' {
			if !star {
				b.WriteByte('*')
			}
			star = true
			continue
		}
		star = false
		b.WriteString(globEscape(string(r)))
	}
	return b.String()
}

func globEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		if strings.ContainsRune(`*?[\`, r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

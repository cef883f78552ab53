package sandbox

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// A where filter in Xero's LINQ-like dialect, e.g.
//
//	ContactStatus=="ACTIVE" AND IsCustomer==true AND Name.Contains("smith")
//	UpdatedDateUTC>=DateTime(2024,01,02) || Name.StartsWith("A")
//	EmailAddress!=null && !IsSupplier && ContactID==Guid("…")
//
// String comparisons ignore case, as Xero's (SQL collation) do.
type predicate func(c *Contact) bool

type valKind int

const (
	vNull valKind = iota
	vStr
	vBool
	vTime
	vNum
)

type value struct {
	kind valKind
	s    string
	b    bool
	t    time.Time
	n    float64
}

var contactFields = map[string]func(c *Contact) value{
	"contactid":         func(c *Contact) value { return strVal(c.ContactID) },
	"contactnumber":     func(c *Contact) value { return strVal(c.ContactNumber) },
	"accountnumber":     func(c *Contact) value { return strVal(c.AccountNumber) },
	"contactstatus":     func(c *Contact) value { return strVal(c.ContactStatus) },
	"name":              func(c *Contact) value { return strVal(c.Name) },
	"firstname":         func(c *Contact) value { return strVal(c.FirstName) },
	"lastname":          func(c *Contact) value { return strVal(c.LastName) },
	"emailaddress":      func(c *Contact) value { return strVal(c.EmailAddress) },
	"companynumber":     func(c *Contact) value { return strVal(c.CompanyNumber) },
	"taxnumber":         func(c *Contact) value { return strVal(c.TaxNumber) },
	"mergedtocontactid": func(c *Contact) value { return strVal(c.MergedToContactID) },
	"iscustomer":        func(c *Contact) value { return value{kind: vBool, b: c.IsCustomer} },
	"issupplier":        func(c *Contact) value { return value{kind: vBool, b: c.IsSupplier} },
	"hasattachments":    func(c *Contact) value { return value{kind: vBool, b: c.HasAttachments} },
	"updateddateutc":    func(c *Contact) value { return value{kind: vTime, t: c.Updated} },
}

func strVal(s string) value {
	if s == "" {
		return value{kind: vNull}
	}
	return value{kind: vStr, s: s}
}

type tok struct {
	kind string // "id", "str", "num", "op", "eof"
	text string
}

func lexWhere(src string) ([]tok, error) {
	var out []tok
	rs := []rune(src)
	for i := 0; i < len(rs); {
		c := rs[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j >= len(rs) {
				return nil, fmt.Errorf("unterminated string at %d", i)
			}
			out = append(out, tok{"str", b.String()})
			i = j + 1
		case unicode.IsDigit(c) || (c == '-' && i+1 < len(rs) && unicode.IsDigit(rs[i+1])):
			j := i + 1
			for j < len(rs) && (unicode.IsDigit(rs[j]) || rs[j] == '.') {
				j++
			}
			out = append(out, tok{"num", string(rs[i:j])})
			i = j
		case unicode.IsLetter(c) || c == '_':
			j := i
			for j < len(rs) && (unicode.IsLetter(rs[j]) || unicode.IsDigit(rs[j]) || rs[j] == '_') {
				j++
			}
			out = append(out, tok{"id", string(rs[i:j])})
			i = j
		default:
			two := ""
			if i+1 < len(rs) {
				two = string(rs[i : i+2])
			}
			switch two {
			case "==", "!=", ">=", "<=", "&&", "||":
				out = append(out, tok{"op", two})
				i += 2
				continue
			}
			if !strings.ContainsRune("=<>!().,", c) {
				return nil, fmt.Errorf("unexpected %q at %d", c, i)
			}
			op := string(c)
			if op == "=" {
				op = "=="
			}
			out = append(out, tok{"op", op})
			i++
		}
	}
	return append(out, tok{"eof", ""}), nil
}

type whereParser struct {
	toks []tok
	pos  int
}

// parseWhere compiles a where clause. An empty clause matches everything.
func parseWhere(src string) (predicate, error) {
	if strings.TrimSpace(src) == "" {
		return func(*Contact) bool { return true }, nil
	}
	toks, err := lexWhere(src)
	if err != nil {
		return nil, err
	}
	p := &whereParser{toks: toks}
	pred, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != "eof" {
		return nil, fmt.Errorf("unexpected %q", p.peek().text)
	}
	return pred, nil
}

func (p *whereParser) peek() tok { return p.toks[p.pos] }
func (p *whereParser) next() tok { t := p.toks[p.pos]; p.pos++; return t }
func (p *whereParser) accept(kind, text string) bool {
	t := p.peek()
	if t.kind == kind && strings.EqualFold(t.text, text) {
		p.pos++
		return true
	}
	return false
}
func (p *whereParser) expect(text string) error {
	if !p.accept("op", text) {
		return fmt.Errorf("expected %q, got %q", text, p.peek().text)
	}
	return nil
}

func (p *whereParser) or() (predicate, error) {
	l, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.accept("op", "||") || p.accept("id", "or") {
		r, err := p.and()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(c *Contact) bool { return a(c) || b(c) }
	}
	return l, nil
}

func (p *whereParser) and() (predicate, error) {
	l, err := p.unary()
	if err != nil {
		return nil, err
	}
	for p.accept("op", "&&") || p.accept("id", "and") {
		r, err := p.unary()
		if err != nil {
			return nil, err
		}
		a, b := l, r
		l = func(c *Contact) bool { return a(c) && b(c) }
	}
	return l, nil
}

func (p *whereParser) unary() (predicate, error) {
	if p.accept("op", "!") || p.accept("id", "not") {
		inner, err := p.unary()
		if err != nil {
			return nil, err
		}
		return func(c *Contact) bool { return !inner(c) }, nil
	}
	if p.accept("op", "(") {
		inner, err := p.or()
		if err != nil {
			return nil, err
		}
		return inner, p.expect(")")
	}
	return p.comparison()
}

func (p *whereParser) comparison() (predicate, error) {
	t := p.next()
	if t.kind != "id" {
		return nil, fmt.Errorf("expected a field, got %q", t.text)
	}
	get, ok := contactFields[strings.ToLower(t.text)]
	if !ok {
		return nil, fmt.Errorf("no property or field '%s' exists in type 'Contact'", t.text)
	}
	// Method calls: Name.ToLower().Contains("x"), Name.StartsWith("x"), ...
	for p.accept("op", ".") {
		m := p.next()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		switch strings.ToLower(m.text) {
		case "tolower", "toupper", "trim":
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			continue // comparisons ignore case already
		case "contains", "startswith", "endswith":
			arg, err := p.literal()
			if err != nil {
				return nil, err
			}
			if err := p.expect(")"); err != nil {
				return nil, err
			}
			needle := strings.ToLower(arg.s)
			var fn func(string, string) bool
			switch strings.ToLower(m.text) {
			case "contains":
				fn = strings.Contains
			case "startswith":
				fn = strings.HasPrefix
			default:
				fn = strings.HasSuffix
			}
			return func(c *Contact) bool {
				v := get(c)
				return v.kind == vStr && fn(strings.ToLower(v.s), needle)
			}, nil
		default:
			return nil, fmt.Errorf("unsupported method %s", m.text)
		}
	}
	op := p.peek()
	switch op.text {
	case "==", "!=", ">", ">=", "<", "<=":
	default:
		// A bare boolean field: IsCustomer
		return func(c *Contact) bool { v := get(c); return v.kind == vBool && v.b }, nil
	}
	if op.kind != "op" {
		return nil, fmt.Errorf("expected an operator, got %q", op.text)
	}
	p.pos++
	lit, err := p.literal()
	if err != nil {
		return nil, err
	}
	return func(c *Contact) bool { return compare(get(c), op.text, lit) }, nil
}

func (p *whereParser) literal() (value, error) {
	t := p.next()
	switch t.kind {
	case "str":
		return value{kind: vStr, s: t.text}, nil
	case "num":
		n, err := strconv.ParseFloat(t.text, 64)
		return value{kind: vNum, n: n}, err
	case "id":
		switch strings.ToLower(t.text) {
		case "true", "false":
			return value{kind: vBool, b: strings.EqualFold(t.text, "true")}, nil
		case "null":
			return value{kind: vNull}, nil
		case "guid":
			if err := p.expect("("); err != nil {
				return value{}, err
			}
			s := p.next()
			return value{kind: vStr, s: s.text}, p.expect(")")
		case "datetime":
			if p.accept("op", ".") { // DateTime.Parse("2024-01-02")
				p.next()
				if err := p.expect("("); err != nil {
					return value{}, err
				}
				s := p.next()
				tm, err := parseLooseTime(s.text)
				if err != nil {
					return value{}, err
				}
				return value{kind: vTime, t: tm}, p.expect(")")
			}
			if err := p.expect("("); err != nil {
				return value{}, err
			}
			var parts []int
			for {
				n := p.next()
				v, err := strconv.Atoi(n.text)
				if err != nil {
					return value{}, fmt.Errorf("DateTime: bad number %q", n.text)
				}
				parts = append(parts, v)
				if p.accept("op", ")") {
					break
				}
				if err := p.expect(","); err != nil {
					return value{}, err
				}
			}
			if len(parts) < 3 {
				return value{}, fmt.Errorf("DateTime needs year, month, day")
			}
			for len(parts) < 6 {
				parts = append(parts, 0)
			}
			return value{kind: vTime, t: time.Date(parts[0], time.Month(parts[1]), parts[2], parts[3], parts[4], parts[5], 0, time.UTC)}, nil
		}
	}
	return value{}, fmt.Errorf("expected a value, got %q", t.text)
}

func compare(a value, op string, b value) bool {
	if b.kind == vNull || a.kind == vNull {
		eq := a.kind == b.kind
		switch op {
		case "==":
			return eq
		case "!=":
			return !eq
		}
		return false
	}
	var cmp int
	switch {
	case a.kind == vTime && b.kind == vTime:
		cmp = a.t.Compare(b.t)
	case a.kind == vTime && b.kind == vStr:
		bt, err := parseLooseTime(b.s)
		if err != nil {
			return false
		}
		cmp = a.t.Compare(bt)
	case a.kind == vBool && b.kind == vBool:
		if a.b != b.b {
			cmp = 1
		}
		if op != "==" && op != "!=" {
			return false
		}
	case a.kind == vStr && b.kind == vStr:
		cmp = strings.Compare(strings.ToLower(a.s), strings.ToLower(b.s))
	default:
		return op == "!="
	}
	switch op {
	case "==":
		return cmp == 0
	case "!=":
		return cmp != 0
	case ">":
		return cmp > 0
	case ">=":
		return cmp >= 0
	case "<":
		return cmp < 0
	case "<=":
		return cmp <= 0
	}
	return false
}

// parseLooseTime reads the date forms clients send: RFC 1123 (HTTP dates),
// RFC 3339 with or without zone or fraction, plain dates. No zone means UTC.
func parseLooseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	for _, layout := range []string{time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC,
		"2006-01-02T15:04:05.9999999", "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02",
		"Mon, 2 Jan 2006 15:04:05 MST", "Mon Jan 02 2006 15:04:05 GMT-0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	// JavaScript's Date.toString(): "Tue Jan 02 2024 10:00:00 GMT+1300 (New Zealand Daylight Time)"
	if i := strings.Index(s, " ("); i > 0 {
		return parseLooseTime(s[:i])
	}
	return time.Time{}, fmt.Errorf("unrecognised date %q", s)
}

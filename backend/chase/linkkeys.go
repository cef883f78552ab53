package chase

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Keys an XPM client and a Xero contact may share, as Link.Keys names them.
const (
	KeyAccount = "account number" // XPM export code or client code = the contact's account number
	KeyTax     = "tax number"
	KeyCompany = "company number"
	KeyEmail   = "email"
	KeyPhone   = "phone"
	KeyName    = "name"         // the same name, once normalised (Ltd/Limited, "Smith, John", accents)
	KeyTrading = "trading name" // the client's trading name is the contact's name
)

// legalWords are the forms of a business's legal suffix, mapped to one
// spelling so "Ltd" and "Limited" compare equal.
var legalWords = map[string]string{
	"limited": "ltd", "ltd": "ltd", "proprietary": "pty", "pty": "pty", "incorporated": "inc", "inc": "inc",
	"company": "co", "co": "co", "llp": "llp", "llc": "llc", "plc": "plc", "lp": "lp", "corporation": "corp", "corp": "corp",
}

// minorWords carry no identity on their own.
var minorWords = map[string]bool{"and": true, "the": true, "of": true, "t": true, "a": true, "mr": true, "mrs": true, "ms": true, "dr": true, "miss": true}

// foldName lower-cases s and removes accents; apostrophes vanish ("O'Brien"
// = "OBrien"), "&" reads "and", everything else not a letter or digit splits.
func foldName(s string) []string {
	var words []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			words = append(words, cur.String())
			cur.Reset()
		}
	}
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == '`':
		case r == '&' || r == '+':
			flush()
			words = append(words, "and")
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			switch r {
			case 'ß':
				cur.WriteString("ss")
			case 'æ':
				cur.WriteString("ae")
			case 'ø':
				cur.WriteByte('o')
			case 'ł':
				cur.WriteByte('l')
			default:
				cur.WriteRune(r)
			}
		default:
			flush()
		}
	}
	flush()
	return words
}

// nameForms are the normalised spellings a name may be written in: the name
// itself with its legal suffix in one form and no leading "The" or trailing
// "(Trading)", "Smith, John" read as "john smith", and both sides of
// "John Smith t/a Smith Plumbing".
func nameForms(name string) []string {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	var parts []string
	low := strings.ToLower(name)
	for _, sep := range []string{" t/a ", " trading as ", " t/as "} {
		if i := strings.Index(low, sep); i > 0 {
			parts = append(parts, name[:i], name[i+len(sep):])
		}
	}
	if parts == nil {
		parts = []string{name}
	}
	var out []string
	for _, p := range parts {
		// "Smith Plumbing (Trading)": a note, not part of the name.
		if i := strings.Index(strings.ToLower(p), "(trading)"); i >= 0 {
			p = p[:i] + p[i+len("(trading)"):]
		}
		if a, b, ok := strings.Cut(p, ","); ok && !strings.Contains(b, ",") {
			// "Smith, John" (a person's name written surname first), unless
			// the part after the comma is a legal suffix ("Baker, Ltd").
			if ws := foldName(b); len(ws) > 0 && legalWords[ws[0]] == "" {
				p = b + " " + a
			}
		}
		ws := foldName(p)
		for len(ws) > 0 && ws[0] == "the" {
			ws = ws[1:]
		}
		for i, w := range ws {
			if l := legalWords[w]; l != "" {
				ws[i] = l
			}
		}
		if len(ws) > 0 {
			out = append(out, strings.Join(ws, " "))
		}
	}
	return out
}

// distinctive counts the words of a normalised name that say who it is:
// not a legal suffix, not "and", "the", a title or an initial.
func distinctive(form string) int {
	n := 0
	for _, w := range strings.Fields(form) {
		if legalWords[w] == "" && !minorWords[w] && len(w) > 1 {
			n++
		}
	}
	return n
}

// nameKeyOK says whether a normalised name identifies on its own: at least
// two distinctive words. "Baker", "Smith Ltd" or "Consulting" alone never
// link anything.
func nameKeyOK(form string) bool { return distinctive(form) >= 2 }

// couple reads "John & Mary Smith" / "J and M Smith": two people, never one
// of them. A business ("Smith & Co Ltd", "Brown and Sons Limited") is not.
func couple(form string) bool {
	var ws []string
	for _, w := range strings.Fields(form) {
		if strings.Trim(w, "0123456789") == "" {
			continue // "(2)": a duplicate's number
		}
		if legalWords[w] != "" || w == "sons" || w == "partners" {
			return false
		}
		ws = append(ws, w)
	}
	for i, w := range ws {
		if w == "and" && i > 0 && i < len(ws)-1 {
			return true
		}
	}
	return false
}

var entityWords = map[string]string{"trust": "trust", "trustee": "trust", "trustees": "trust", "estate": "estate", "superannuation": "super",
	"super": "super", "fund": "fund", "partnership": "partners", "partners": "partners", "family": "family"}

// kind is what sort of party a name is: a couple, a trust or fund, a
// business (a legal suffix) or a person; a link never crosses kinds on a
// weak key.
func kind(form string) string {
	if couple(form) {
		return "couple"
	}
	for _, w := range strings.Fields(form) {
		if k := entityWords[w]; k != "" {
			return k
		}
	}
	for _, w := range strings.Fields(form) {
		if legalWords[w] != "" {
			return "business"
		}
	}
	return ""
}

// compatible says whether two parties' names can be the same party: the
// same kind and a distinctive word in common (a surname alone is enough
// only alongside another key).
func compatible(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
			kx, ky := kind(x), kind(y)
			if kx != ky && (kx == "couple" || ky == "couple" || kx == "trust" || ky == "trust" || kx == "super" || ky == "super" || kx == "fund" || ky == "fund") {
				continue
			}
			if shareDistinctive(x, y) {
				return true
			}
		}
	}
	return false
}

func shareDistinctive(a, b string) bool {
	in := map[string]bool{}
	for _, w := range strings.Fields(a) {
		if legalWords[w] == "" && !minorWords[w] && len(w) > 1 {
			in[w] = true
		}
	}
	for _, w := range strings.Fields(b) {
		if in[w] {
			return true
		}
	}
	return false
}

// normPhone keeps a phone number's last eight digits, enough to tell
// numbers apart whatever the country code and trunk prefix are written as
// ("+64 9 300 1234" = "09 300 1234").
func normPhone(s string) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) < 7 {
		return ""
	}
	if len(d) > 8 {
		d = d[len(d)-8:]
	}
	return string(d)
}

// normNumber compares tax and company numbers without spaces, dashes or case.
func normNumber(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	if b.Len() < 4 {
		return ""
	}
	return b.String()
}

package match

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold removes accents and maps a few letters NFD cannot decompose, so that
// "Zoë Müller" and "Zoe Muller" compare equal. Case is kept: the file name
// tokenizer needs it to split camelCase.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		switch r {
		case 'ß':
			b.WriteString("ss")
		case 'æ', 'Æ':
			b.WriteString("ae")
		case 'œ', 'Œ':
			b.WriteString("oe")
		case 'ø', 'Ø':
			b.WriteByte('o')
		case 'đ', 'Đ', 'ð':
			b.WriteByte('d')
		case 'ł', 'Ł':
			b.WriteByte('l')
		case 'þ', 'Þ':
			b.WriteString("th")
		case '’', '\'', '`', '´':
			// Apostrophes join: "O'Brien" is one word.
			b.WriteRune('\'')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// words splits folded text on anything that is not a letter or digit;
// apostrophes are dropped without splitting and "&" becomes "and".
func words(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	for _, r := range s {
		switch {
		case r == '\'':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
		case r == '&' || r == '+':
			flush()
			out = append(out, "and")
		default:
			flush()
		}
	}
	flush()
	return out
}

// nameTokens tokenizes a contact name: folded, lowercased, split on
// punctuation. Names are typed with spaces, so camelCase is not split.
func nameTokens(s string) []string {
	ws := words(fold(s))
	for i, w := range ws {
		ws[i] = strings.ToLower(w)
	}
	return ws
}

// splitCamel splits a word at lower→Upper, letter↔digit, and "ABCDef" → "ABC","Def".
func splitCamel(w string) []string {
	rs := []rune(w)
	var out []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, r := rs[i-1], rs[i]
		split := false
		switch {
		case unicode.IsLower(prev) && unicode.IsUpper(r):
			split = true
		case unicode.IsLetter(prev) && unicode.IsDigit(r), unicode.IsDigit(prev) && unicode.IsLetter(r):
			split = true
		case unicode.IsUpper(prev) && unicode.IsUpper(r) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			split = true
		}
		if split {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	return append(out, string(rs[start:]))
}

// legal holds company-form words and connectives that do not identify a
// client: "Smith & Co Ltd" and "Smith and Co Limited" both reduce to "smith".
var legal = setOf(
	"ltd", "limited", "pty", "proprietary", "llc", "llp", "lp", "inc", "incorporated",
	"co", "company", "corp", "corporation", "plc", "gmbh", "ag", "sa", "sarl", "bv", "nv",
	"and", "the", "of", "trading", "as", "t", "a", "ta", "pte", "nz", "au", "uk",
)

// docWords are words typical of document file names; they never count
// against a match ("Acme invoice March 2024.pdf" is a perfect match for Acme).
var docWords = setOf(
	"invoice", "invoices", "inv", "statement", "statements", "stmt", "bank", "scan", "scanned",
	"scans", "receipt", "receipts", "doc", "docs", "document", "documents", "copy", "final",
	"draft", "signed", "sign", "tax", "return", "returns", "gst", "vat", "bas", "ias", "payg",
	"payslip", "payslips", "payroll", "letter", "report", "accounts", "account", "annual",
	"financial", "financials", "ledger", "bill", "bills", "remittance", "quote", "credit",
	"note", "notes", "form", "forms", "page", "pages", "p", "v", "version", "new", "old",
	"for", "to", "from", "with", "in", "on", "by", "re", "fw", "fwd", "img", "image", "dsc",
	"photo", "pdf", "jpg", "jpeg", "png", "tif", "tiff", "doc", "docx", "xls", "xlsx", "csv",
	"jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june",
	"jul", "july", "aug", "august", "sep", "sept", "september", "oct", "october", "nov",
	"november", "dec", "december", "q1", "q2", "q3", "q4", "fy", "year", "month", "quarter",
	"end", "eoy", "eofy", "summary", "details", "detail", "info", "misc", "other", "files",
	"file", "upload", "uploads", "rev", "ii", "iii", "and", "the", "of", "a", "ltd", "limited",
	"pty", "llc", "inc", "co", "company", "corp", "plc", "dividend", "interest", "loan",
	"mortgage", "super", "superannuation", "insurance", "lease", "contract", "agreement",
	"minutes", "trust", "deed", "payment", "payments", "paid", "due", "overdue", "reminder",
	"id", "no", "number", "ref", "reference", "client", "clients", "customer", "customers",
	"supplier", "suppliers", "inbox", "incoming", "scanner", "unsorted", "filing", "shared",
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

func isNumber(s string) bool {
	for _, r := range s {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return s != ""
}

// coreTokens drops legal words, unless nothing would be left
// ("The Company Ltd" stays as it is).
func coreTokens(ts []string) []string {
	var out []string
	for _, t := range ts {
		if !legal[t] {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return ts
	}
	return out
}

// compact keeps only lowercase letters and digits: the form in which account
// numbers, contact numbers and emails are compared ("ACC-0042" → "acc0042").
func compact(s string) string {
	var b strings.Builder
	for _, r := range fold(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// damerau returns the optimal-string-alignment distance between a and b, or
// max+1 as soon as it is certain to exceed max.
func damerau(a, b string, max int) int {
	ra, rb := []rune(a), []rune(b)
	la, lb := len(ra), len(rb)
	if d := la - lb; d > max || -d > max {
		return max + 1
	}
	// Three rolling rows are enough for OSA.
	prev2 := make([]int, lb+1)
	prev := make([]int, lb+1)
	cur := make([]int, lb+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= la; i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= lb; j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin > max {
			return max + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[lb]
}

// maxEdits is how many typos a token of this length tolerates: none for short
// words (too many look-alikes), one from 4 letters, two from 8.
func maxEdits(t string) int {
	n := len([]rune(t))
	switch {
	case n >= 8:
		return 2
	case n >= 4:
		return 1
	}
	return 0
}

// deletes returns every string reachable from t by deleting up to d runes
// (the symmetric-delete trick: two words within edit distance d share a
// deletion variant).
func deletes(t string, d int, into map[string]struct{}) {
	into[t] = struct{}{}
	if d == 0 {
		return
	}
	rs := []rune(t)
	if len(rs) <= 1 {
		return
	}
	for i := range rs {
		v := string(rs[:i]) + string(rs[i+1:])
		if _, ok := into[v]; ok && d == 1 {
			continue
		}
		deletes(v, d-1, into)
	}
}

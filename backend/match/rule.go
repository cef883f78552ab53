package match

import (
	"path/filepath"
	"strings"
)

// RuleClient is the client a person filed a Review file to, for
// SpecificRule.
type RuleClient struct {
	Name          string
	AccountNumber string
}

// SpecificRule proposes a rule filing files like relPath to client, or ""
// when no pattern would be specific to that client. A rule must name the
// client: its pattern keeps a word of the client's name (not a company-form
// or document word) or its account number. So a scanner's default name
// (scan_0001.pdf, IMG_1234.jpg, "Document (3).pdf", "Scan 12-03-2026.pdf"),
// whose words say nothing about whose document it is, never becomes a rule
// that would send every later scan to one client. It must also match none of
// others, the names (or paths) of files filed for other clients.
func SpecificRule(relPath string, client RuleClient, others []string) string {
	pattern := ruleCandidate(relPath, client)
	if pattern == "" {
		return ""
	}
	for _, o := range others {
		if ruleMatches(pattern, strings.Trim(filepath.ToSlash(strings.ReplaceAll(o, `\`, "/")), "/")) {
			return ""
		}
	}
	return pattern
}

func ruleCandidate(relPath string, client RuleClient) string {
	idents := identifying(client.Name)
	// The pattern SuggestRule makes (subfolder, or the name with its digits
	// as "*"), if a word of it is a word of the client's name.
	p := SuggestRule(relPath)
	for _, w := range words(fold(strings.ReplaceAll(p, "*", " "))) {
		if idents[strings.ToLower(w)] {
			return p
		}
	}
	// Else the account number, kept literally: "ACC-0042 bank.pdf" → "*acc-0042*".
	acct := strings.ToLower(strings.TrimSpace(client.AccountNumber))
	if len(compact(acct)) < 3 {
		return ""
	}
	rel := strings.ReplaceAll(filepath.ToSlash(relPath), `\`, "/")
	base := strings.ToLower(rel[strings.LastIndex(rel, "/")+1:])
	at := strings.Index(base, acct)
	if at < 0 {
		return ""
	}
	// Whole word only: "ACC-0042" is not in "ACC-00421".
	end := at + len(acct)
	if (at > 0 && isAlnum(base[at-1])) || (end < len(base) && isAlnum(base[end])) {
		return ""
	}
	return "*" + globEscape(acct) + "*"
}

// identifying is the words of a client's name that say whose document it is:
// at least three letters, no company-form, connective or document word.
func identifying(name string) map[string]bool {
	out := map[string]bool{}
	for _, t := range nameTokens(name) {
		if len([]rune(t)) < 3 || isNumber(t) || legal[t] || docWords[t] || scannerWords[t] {
			continue
		}
		out[t] = true
	}
	return out
}

// scannerWords are words of the names scanners, phones and cameras give
// files by default, beyond docWords.
var scannerWords = setOf("dsc", "dscn", "dcim", "img", "pxl", "mvimg", "screenshot", "scansnap", "epson", "canon", "brother",
	"hp", "xerox", "ricoh", "untitled", "unnamed", "noname", "scanned", "scan", "document", "image", "picture", "pic", "photo")

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z'
}

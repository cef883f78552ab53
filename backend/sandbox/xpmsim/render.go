package xpmsim

import (
	"strings"
	"unicode/utf8"
)

// A response is built once as a small tree of nodes and then rendered as XML
// (the documented format) or as JSON (the withdrawn spec's flavour). Keeping
// one tree means element order and naming live in one place for both.

type kind uint8

const (
	kText kind = iota
	kBool
	kNum
	kObj
	kList
)

type node struct {
	name string
	kind kind
	val  string
	kids []node
	// xmlOnly/jsonOnly place a field where each format documents it
	// (XML puts WebUrl beside <Job>, JSON inside job).
	xmlOnly, jsonOnly bool
}

func text(name, v string) node { return node{name: name, kind: kText, val: v} }

func boolean(name string, b bool) node {
	if b {
		return node{name: name, kind: kBool, val: "true"}
	}
	return node{name: name, kind: kBool, val: "false"}
}

// yesNo is how clients spell booleans: strings in both XML and JSON.
func yesNo(name string, b bool) node {
	if b {
		return text(name, "Yes")
	}
	return text(name, "No")
}

func num(name, v string) node             { return node{name: name, kind: kNum, val: v} }
func obj(name string, kids ...node) node  { return node{name: name, kind: kObj, kids: kids} }
func list(name string, kids []node) node  { return node{name: name, kind: kList, kids: kids} }
func party(name, uuid, label string) node { return obj(name, text("UUID", uuid), text("Name", label)) }
func xmlOnly(n node) node                 { n.xmlOnly = true; return n }
func jsonOnly(n node) node                { n.jsonOnly = true; return n }

func cond(present bool, n node) []node {
	if present {
		return []node{n}
	}
	return nil
}

// renderXML writes <Response api-method="method">kids</Response>.
func renderXML(b []byte, method string, kids []node) []byte {
	b = append(b, `<Response api-method="`...)
	b = appendXMLEscaped(b, method)
	b = append(b, `">`...)
	for i := range kids {
		b = appendXMLNode(b, &kids[i])
	}
	return append(b, "</Response>\n"...)
}

func appendXMLNode(b []byte, n *node) []byte {
	if n.jsonOnly {
		return b
	}
	empty := len(n.kids) == 0
	if n.kind != kObj && n.kind != kList {
		empty = n.val == ""
	}
	b = append(b, '<')
	b = append(b, n.name...)
	if empty {
		return append(b, " />"...)
	}
	b = append(b, '>')
	if n.kind == kObj || n.kind == kList {
		for i := range n.kids {
			b = appendXMLNode(b, &n.kids[i])
		}
	} else {
		b = appendXMLEscaped(b, n.val)
	}
	b = append(b, "</"...)
	b = append(b, n.name...)
	return append(b, '>')
}

func appendXMLEscaped(b []byte, s string) []byte {
	if !strings.ContainsAny(s, `&<>"'`) {
		return append(b, s...)
	}
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '"':
			esc = "&quot;"
		case '\'':
			esc = "&apos;"
		default:
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}

// renderJSON writes the root as one object: {"status":…, "jobs":[…]}.
func renderJSON(b []byte, kids []node) []byte {
	b = appendJSONObject(b, kids)
	return append(b, '\n')
}

func appendJSONObject(b []byte, kids []node) []byte {
	b = append(b, '{')
	first := true
	for i := range kids {
		k := &kids[i]
		if k.xmlOnly {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = appendJSONString(b, jsonName(k.name))
		b = append(b, ':')
		b = appendJSONValue(b, k)
	}
	return append(b, '}')
}

func appendJSONValue(b []byte, n *node) []byte {
	switch n.kind {
	case kObj:
		return appendJSONObject(b, n.kids)
	case kList:
		b = append(b, '[')
		for i := range n.kids {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendJSONValue(b, &n.kids[i])
		}
		return append(b, ']')
	case kBool, kNum:
		if n.val == "" {
			return append(b, "null"...)
		}
		return append(b, n.val...)
	default:
		return appendJSONString(b, n.val)
	}
}

// jsonName maps an XML element name to the withdrawn spec's property name:
// UUID -> uuid, TaskUUID -> taskUuid, ClientOrderNumber -> clientOrderNumber.
func jsonName(name string) string {
	switch name {
	case "UUID":
		return "uuid"
	case "ID":
		return "id"
	}
	if p, ok := strings.CutSuffix(name, "UUID"); ok {
		name = p + "Uuid"
	}
	return strings.ToLower(name[:1]) + name[1:]
}

func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				b = append(b, '\\', c)
			case c == '\n':
				b = append(b, '\\', 'n')
			case c == '\r':
				b = append(b, '\\', 'r')
			case c == '\t':
				b = append(b, '\\', 't')
			case c < 0x20:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				b = append(b, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, `\ufffd`...)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return append(b, '"')
}

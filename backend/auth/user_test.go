package auth

import (
	"encoding/base64"
	"testing"

	"golang.org/x/oauth2"
)

func TestUserFromToken(t *testing.T) {
	jwt := func(claims string) string {
		return "eyJhbGciOiJSUzI1NiJ9." + base64.RawURLEncoding.EncodeToString([]byte(claims)) + ".sig"
	}
	for _, tc := range []struct {
		name, idToken string
		want          User
		ok            bool
	}{
		{"given and family name", jwt(`{"given_name":"Dana","family_name":"Demo","email":"dana@example.com"}`), User{"Dana Demo", "dana@example.com"}, true},
		{"name claim wins", jwt(`{"name":"Dana M. Demo","given_name":"Dana","email":"d@e.com"}`), User{"Dana M. Demo", "d@e.com"}, true},
		{"email only", jwt(`{"preferred_username":"sam@practice.nz"}`), User{"", "sam@practice.nz"}, true},
		{"no claims", jwt(`{"sub":"x"}`), User{}, false},
		{"not a JWT", "garbage", User{}, false},
		{"no id_token", "", User{}, false},
	} {
		tok := (&oauth2.Token{AccessToken: "a"}).WithExtra(map[string]any{"id_token": tc.idToken})
		got, ok := userFromToken(tok)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%s: %+v %v, want %+v %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
	if (User{Email: "a@b.c"}).Label() != "a@b.c" || (User{Name: "N", Email: "a@b.c"}).Label() != "N" {
		t.Error("Label prefers the name, else the email")
	}
}

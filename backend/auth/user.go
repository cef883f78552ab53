package auth

import (
	"encoding/base64"
	"encoding/json"
	"strings"

	"golang.org/x/oauth2"
)

// User is the person signed in to Xero, from the sign-in's id_token: who the
// activity log says did what. Name and email only; never a token.
type User struct {
	Name  string `json:"name"`
	Email string `json:"email"`
}

// Label is how the user is shown: the name, else the email.
func (u User) Label() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// userFromToken reads the id_token Xero returns with the openid scope. Its
// signature is not checked: it came straight from the token endpoint over
// the connection that carried the tokens, and it only names who is shown in
// the activity log, never grants anything.
func userFromToken(tok *oauth2.Token) (User, bool) {
	raw, _ := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) < 2 {
		return User{}, false
	}
	body, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return User{}, false
	}
	var c struct {
		Name       string `json:"name"`
		GivenName  string `json:"given_name"`
		FamilyName string `json:"family_name"`
		Email      string `json:"email"`
		Preferred  string `json:"preferred_username"`
	}
	if json.Unmarshal(body, &c) != nil {
		return User{}, false
	}
	u := User{Name: strings.TrimSpace(c.Name), Email: strings.TrimSpace(c.Email)}
	if u.Name == "" {
		u.Name = strings.TrimSpace(c.GivenName + " " + c.FamilyName)
	}
	if u.Email == "" && strings.Contains(c.Preferred, "@") {
		u.Email = c.Preferred
	}
	return u, u.Name != "" || u.Email != ""
}

// Command feedsign makes the key pair and the signatures of chase.md's release feed
// (see backend/update).
//
//	go run ./scripts/feedsign genkey feed.key      # writes the private key; prints the public key for UPDATE_PUBLIC_KEY
//	go run ./scripts/feedsign sign feed.key feed.json   # writes feed.json.sig next to it
//
// Keep feed.key offline: whoever holds it can announce a release to every copy of chase.md.
package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"

	"chase.md/backend/update"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "feedsign:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	switch {
	case len(args) == 2 && args[0] == "genkey":
		pub, priv, err := ed25519.GenerateKey(nil)
		if err != nil {
			return err
		}
		if err := os.WriteFile(args[1], []byte(base64.StdEncoding.EncodeToString(priv.Seed())+"\n"), 0o600); err != nil {
			return err
		}
		fmt.Printf("UPDATE_PUBLIC_KEY=%s\n", base64.StdEncoding.EncodeToString(pub))
		return nil
	case len(args) == 3 && args[0] == "sign":
		seedText, err := os.ReadFile(args[1])
		if err != nil {
			return err
		}
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(seedText)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return errors.New("the key file is not a base64 ed25519 seed made by genkey")
		}
		feed, err := os.ReadFile(args[2])
		if err != nil {
			return err
		}
		var f update.Feed // refuse to sign what chase.md would not read
		if err := json.Unmarshal(feed, &f); err != nil || f.Version == "" || f.URL == "" || f.Published.IsZero() {
			return fmt.Errorf("%s is not a release feed with version, url and published: %v", args[2], err)
		}
		sig := ed25519.Sign(ed25519.NewKeyFromSeed(seed), feed)
		return os.WriteFile(args[2]+".sig", []byte(base64.StdEncoding.EncodeToString(sig)+"\n"), 0o644)
	}
	return errors.New("usage: feedsign genkey KEYFILE | feedsign sign KEYFILE FEED.json")
}

package filing

import (
	"embed"

	"chase.md/backend/store"
)

// The watched folders' tables live with the code that reads and writes them.
//
//go:embed migrations/*.sql
var migrations embed.FS

func init() {
	store.Register(store.Schema{
		Owner: "filing",
		FS:    migrations,
		// Before this package owned it, it was the store's 0030.
		Legacy: map[int]int{30: 1},
	})
}

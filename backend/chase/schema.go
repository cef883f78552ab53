package chase

import (
	"embed"

	"chase.md/backend/store"
)

// XPM's data and the chase list's tables live with the code that reads and writes them.
//
//go:embed migrations/*.sql
var migrations embed.FS

func init() {
	store.Register(store.Schema{
		Owner: "chase",
		FS:    migrations,
		// Before this package owned them they were the store's 0040 and 0045.
		Legacy: map[int]int{40: 1, 45: 2},
	})
}

package upload

import (
	"embed"

	"chase.md/backend/store"
)

// The queue's tables live with the code that reads and writes them.
//
//go:embed migrations/*.sql
var migrations embed.FS

func init() {
	store.Register(store.Schema{
		Owner: "upload",
		FS:    migrations,
		// Before this package owned them they were the store's 0020 and 0021.
		Legacy: map[int]int{20: 1, 21: 2},
	})
}

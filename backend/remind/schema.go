package remind

import (
	"embed"

	"chase.md/backend/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

func init() { store.Register(store.Schema{Owner: "remind", FS: migrations}) }

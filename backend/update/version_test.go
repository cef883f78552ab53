package update

import "testing"

func TestVersionOrder(t *testing.T) {
	// Each is older than the next (semver.org §11); build metadata takes no part.
	order := []string{"0.0.0-dev", "0.9.0-alpha", "0.9.0-alpha.1", "0.9.0-alpha.beta", "0.9.0-beta.2",
		"0.9.0-beta.11", "0.9.0-rc.1", "0.9.0", "0.9.1", "0.10.0", "1.0.0", "v1.2.3"}
	for i := range order {
		for j := range order {
			a, err := parseVersion(order[i])
			if err != nil {
				t.Fatal(err)
			}
			b, err := parseVersion(order[j])
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if i < j {
				want = -1
			} else if i > j {
				want = 1
			}
			if got := a.compare(b); got != want {
				t.Errorf("compare(%s, %s) = %d, want %d", order[i], order[j], got, want)
			}
		}
	}
	a, _ := parseVersion("0.9.0+1a2b3c4")
	b, _ := parseVersion("0.9.0+ffff")
	if a.compare(b) != 0 {
		t.Error("build metadata changed the order")
	}
	for _, bad := range []string{"", "1", "1.2", "1.2.3.4", "01.2.3", "1.2.x", "1.2.3-", "latest"} {
		if _, err := parseVersion(bad); err == nil {
			t.Errorf("parseVersion(%q) accepted", bad)
		}
	}
}

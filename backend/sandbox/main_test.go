package sandbox

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestMainServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out lockedBuffer
	done := make(chan error, 1)
	go func() {
		done <- Main(ctx, []string{"--addr", "127.0.0.1:0", "--contacts", "20", "--faults", "GET /connections=500@n1"}, &out)
	}()
	login := regexp.MustCompile(`login:\s+(http://127\.0\.0\.1:\d+)/identity/connect/authorize`)
	var base string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if m := login.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
			break
		}
	}
	if base == "" {
		t.Fatalf("no URLs printed:\n%s", out.String())
	}
	if !strings.Contains(out.String(), "Demo Practice Ltd") {
		t.Errorf("tenants not printed:\n%s", out.String())
	}
	resp, err := http.Get(base + "/connections")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("--faults not applied: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Main: %v", err)
	}
}

func TestMainRejects(t *testing.T) {
	var out bytes.Buffer
	if err := Main(context.Background(), []string{"--faults", "/x=teapot"}, &out); err == nil {
		t.Error("bad --faults accepted")
	}
	if _, err := New(Options{}).Start(context.Background(), "0.0.0.0:0"); err == nil {
		t.Error("non-loopback address accepted")
	}
	out.Reset()
	_ = Main(context.Background(), []string{"--help"}, &out)
	if !strings.Contains(out.String(), "ACTION") || !strings.Contains(out.String(), "--faults") && !strings.Contains(out.String(), "-faults") {
		t.Errorf("help lacks the fault syntax:\n%s", out.String())
	}
}

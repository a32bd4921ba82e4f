package ratelimit

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

// clock is a settable time for the limiters under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// limiters are n replicas' limiters over one fresh database, at a time
// second seconds into a minute.
func limiters(t *testing.T, n, second int) ([]*Limiter, *clock) {
	db := dbtest.Fresh(t)
	c := &clock{t: time.Date(2026, 3, 2, 10, 0, second, 0, time.UTC)}
	var out []*Limiter
	for range n {
		l := New(db, slog.New(slog.DiscardHandler))
		l.now = c.now
		out = append(out, l)
	}
	return out, c
}

func TestOneReplicaIsExact(t *testing.T) {
	ls, c := limiters(t, 1, 30)
	l := ls[0]
	for i := range 10 {
		if ok, _ := l.Allow("user:a", 10); !ok {
			t.Fatalf("request %d refused under the limit", i+1)
		}
	}
	ok, wait := l.Allow("user:a", 10)
	if ok || wait != 30*time.Second {
		t.Fatalf("11th request: allowed %v, retry after %v (want refused, 30s to the next minute)", ok, wait)
	}
	if ok, _ := l.Allow("user:b", 10); !ok {
		t.Error("another caller is limited by the first one's requests")
	}
	c.add(30 * time.Second)
	if ok, _ := l.Allow("user:a", 10); !ok {
		t.Error("the next minute still refuses")
	}
}

// TestReplicasShareTheirCounts is the limit across two replicas: the counts
// meet in PostgreSQL, and what one replica let through counts on the other.
func TestReplicasShareTheirCounts(t *testing.T) {
	ls, c := limiters(t, 2, 1)
	ctx := context.Background()
	allowed := 0
	for i := range 40 {
		if ok, _ := ls[i%2].Allow("api_client:x", 20); ok {
			allowed++
		}
		if err := ls[i%2].Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Each replica learns the other's count when it next shares its own,
	// so at most one request a replica gets through on stale knowledge.
	if allowed < 20 || allowed > 22 {
		t.Errorf("two replicas let %d of 40 through under a limit of 20", allowed)
	}
	// A new window starts from nothing, and the old one is forgotten.
	c.add(time.Minute)
	if ok, _ := ls[0].Allow("api_client:x", 20); !ok {
		t.Error("refused in a new minute")
	}
	if err := ls[0].Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var windows int64
	ls[0].db.Raw("SELECT count(DISTINCT window_start) FROM rate_counts").Scan(&windows)
	if windows != 1 {
		t.Errorf("%d windows kept, want only the current one", windows)
	}
}

// TestRequestsDuringASyncAreNotLost: what comes in while counts are being
// shared is added next time, not dropped.
func TestRequestsDuringASyncAreNotLost(t *testing.T) {
	ls, _ := limiters(t, 2, 1)
	ctx := context.Background()
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 25 {
				ls[0].Allow("user:c", 1000)
			}
		}()
	}
	for range 5 {
		if err := ls[0].Sync(ctx); err != nil {
			t.Fatal(err)
		}
	}
	wg.Wait()
	if err := ls[0].Sync(ctx); err != nil {
		t.Fatal(err)
	}
	var n int
	ls[0].db.Raw("SELECT count FROM rate_counts WHERE key = 'user:c'").Scan(&n)
	if n != 100 {
		t.Errorf("shared count %d, want the 100 requests made", n)
	}
}

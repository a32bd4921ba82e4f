// Package ratelimit limits how many requests one caller may make a minute,
// across every replica of the service.
//
// Each replica counts the requests it lets through in fixed windows of a
// minute, per caller, and decides at once from what it knows: its own count
// plus the count of every replica as last read from PostgreSQL. Several
// times a second it adds its new requests to the shared count in one
// statement and reads the sum back. A caller spread over replicas can
// therefore pass the limit by what the other replicas let through between
// two synchronisations (a fraction of a second's worth), never more; on one
// replica the limit is exact. The counts are kept in an unlogged table:
// they are worth nothing after a crash.
package ratelimit

import (
	"context"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// Window is the span a limit counts over.
const Window = time.Minute

// Limiter counts requests per key. Run it to share the counts.
type Limiter struct {
	db    *gorm.DB
	log   *slog.Logger
	now   func() time.Time
	mu    sync.Mutex
	calls map[string]*count
}

type count struct {
	window time.Time // the start of the window counted
	shared int       // every replica's count, as last read
	local  int       // let through here and not yet added to shared
}

// New returns a limiter that shares its counts through db.
func New(db *gorm.DB, log *slog.Logger) *Limiter {
	return &Limiter{db: db, log: log, now: time.Now, calls: map[string]*count{}}
}

// Allow counts one request of key against limit (requests a Window) and
// reports whether it may go ahead; if not, after how long it may.
func (l *Limiter) Allow(key string, limit int) (bool, time.Duration) {
	d := l.Take(key, limit)
	if !d.OK {
		return false, d.Reset
	}
	return true, 0
}

// Decision is what Take decided about one request.
type Decision struct {
	OK        bool          // the request may go ahead
	Remaining int           // requests left in this window after it
	Reset     time.Duration // until the window ends
}

// Take counts one request of key against limit (requests a Window), as
// Allow, and tells how much is left of the window.
func (l *Limiter) Take(key string, limit int) Decision {
	now := l.now()
	w := now.Truncate(Window)
	l.mu.Lock()
	defer l.mu.Unlock()
	c := l.calls[key]
	if c == nil || !c.window.Equal(w) {
		c = &count{window: w}
		l.calls[key] = c
	}
	reset := w.Add(Window).Sub(now)
	if c.shared+c.local >= limit {
		return Decision{Reset: reset}
	}
	c.local++
	return Decision{OK: true, Remaining: limit - c.shared - c.local, Reset: reset}
}

// Run shares the counts every interval until ctx ends.
func (l *Limiter) Run(ctx context.Context, interval time.Duration) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			if err := l.Sync(ctx); err != nil && ctx.Err() == nil {
				l.log.Warn("rate limit counts not shared", "err", err)
			}
		}
	}
}

// Sync adds the requests let through here since the last call to the
// shared counts, reads the sums back, and forgets windows that are over.
func (l *Limiter) Sync(ctx context.Context) error {
	type pending struct {
		key    string
		window time.Time
		n      int
	}
	var todo []pending
	l.mu.Lock()
	current := l.now().Truncate(Window)
	for key, c := range l.calls {
		switch {
		case c.window.Before(current):
			delete(l.calls, key)
		case c.local > 0:
			todo = append(todo, pending{key, c.window, c.local})
		}
	}
	l.mu.Unlock()
	if len(todo) == 0 {
		return l.forget(ctx, current)
	}
	keys, windows, ns := make(database.Strings, len(todo)), make(database.Strings, len(todo)), make(database.Strings, len(todo))
	for i, p := range todo {
		keys[i], windows[i], ns[i] = p.key, p.window.Format(time.RFC3339Nano), strconv.Itoa(p.n)
	}
	var sums []struct {
		Key   string
		Count int
	}
	err := l.db.WithContext(ctx).Raw(`INSERT INTO rate_counts (key, window_start, count)
		SELECT * FROM unnest(?::text[], ?::timestamptz[], ?::int[])
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_counts.count + EXCLUDED.count
		RETURNING key, count`, keys, windows, ns).Scan(&sums).Error
	if err != nil {
		return err
	}
	shared := make(map[string]int, len(sums))
	for _, s := range sums {
		shared[s.Key] = s.Count
	}
	l.mu.Lock()
	for _, p := range todo {
		if c := l.calls[p.key]; c != nil && c.window.Equal(p.window) {
			c.local -= p.n // what came in meanwhile stays to be added next time
			c.shared = shared[p.key]
		}
	}
	l.mu.Unlock()
	return l.forget(ctx, current)
}

// forget deletes the shared counts of windows before current, now and then.
func (l *Limiter) forget(ctx context.Context, current time.Time) error {
	if l.now().Sub(current) > 5*time.Second { // once, early in each window
		return nil
	}
	return l.db.WithContext(ctx).Exec("DELETE FROM rate_counts WHERE window_start < ?", current).Error
}

package app_test

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
)

// TestFiftyConcurrentUpdatesOneWins: fifty writers read version 1 and send
// their change at once with If-Match "1": exactly one is carried out, the
// version goes up by one, and the other 49 are told 412.
func TestFiftyConcurrentUpdatesOneWins(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	var o organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: apptest.Unique("Omstridd"), Sector: "civil_society",
		LegalForm: "ovrig"}).JSON(t, &o)
	codes := make([]int, 50)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = env.Do("PATCH", "/api/v1/organisations/"+o.ID, editor, map[string]string{"description": fmt.Sprint("skrivare ", i)},
				apptest.H("If-Match", `"1"`)).Code
		}()
	}
	wg.Wait()
	count := map[int]int{}
	for _, c := range codes {
		count[c]++
	}
	if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != 49 {
		t.Fatalf("answers %v, want one 200 and 49 × 412", count)
	}
	var version int
	var events int64
	env.Owner().Raw("SELECT version FROM organisations WHERE id = ?", o.ID).Scan(&version)
	env.Owner().Raw("SELECT count(*) FROM audit_events WHERE entity_id = ? AND action = 'organisation.update'", o.ID).Scan(&events)
	if version != 2 || events != 1 {
		t.Errorf("version %d and %d update events, want 2 and 1", version, events)
	}
	if res := env.Do("PATCH", "/api/v1/organisations/"+o.ID, editor, map[string]string{"description": "x"}, apptest.H("If-Match", `W/"2"`)); res.Code != http.StatusPreconditionFailed {
		t.Errorf("a weak ETag: %d", res.Code)
	}
}

// TestOneIdempotencyKeySentAtOnce: twenty copies of one request with one
// key at the same moment make one organisation; the others are answered
// with its answer or told it is in progress.
func TestOneIdempotencyKeySentAtOnce(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	key := apptest.H("Idempotency-Key", apptest.Unique("at-once"))
	body := organisations.NewRequest{Name: apptest.Unique("Samtidig förening"), Sector: "civil_society", LegalForm: "ovrig"}
	codes := make([]int, 20)
	var wg sync.WaitGroup
	for i := range codes {
		wg.Add(1)
		go func() { defer wg.Done(); codes[i] = env.Do("POST", "/api/v1/organisations", editor, body, key).Code }()
	}
	wg.Wait()
	for _, c := range codes {
		if c != http.StatusCreated && c != http.StatusConflict {
			t.Errorf("answers %v", codes)
			break
		}
	}
	var n int64
	env.Owner().Raw("SELECT count(*) FROM organisations WHERE name = ?", body.Name).Scan(&n)
	if n != 1 {
		t.Fatalf("%d organisations for one key", n)
	}
}

// TestAKeyWhoseProcessDied: a key left in progress by a process that died
// is taken over after a while, unless its change was committed, which the
// audit trail tells; then the retry is told so and makes nothing again.
func TestAKeyWhoseProcessDied(t *testing.T) {
	env := apptest.New(t)
	u, editor := env.NewUser(auth.RoleEditor)
	body := organisations.NewRequest{Name: apptest.Unique("Efter kraschen"), Sector: "civil_society", LegalForm: "ovrig"}
	raw, _ := json.Marshal(body)
	hash := sha256.Sum256(append([]byte("POST /api/v1/organisations\n"), raw...))
	stale := func(key string) {
		env.Owner().Exec("INSERT INTO idempotency_keys (principal, key, request_hash, created_at) VALUES (?, ?, ?, now() - interval '10 minutes')",
			"user:"+u.ID, key, hash[:])
	}
	count := func() (n int64) {
		env.Owner().Raw("SELECT count(*) FROM organisations WHERE name = ?", body.Name).Scan(&n)
		return n
	}

	// Died before committing: the retry does the work, once.
	lost := apptest.Unique("lost")
	stale(lost)
	if res := env.Do("POST", "/api/v1/organisations", editor, body, apptest.H("Idempotency-Key", lost)); res.Code != http.StatusCreated || count() != 1 {
		t.Fatalf("retry of an abandoned key: %d %s (%d rows)", res.Code, res.Body, count())
	}

	// Died a moment ago (its process no longer says it is alive): taken
	// over at once, not after minutes.
	body2 := organisations.NewRequest{Name: apptest.Unique("Nyss död"), Sector: "civil_society", LegalForm: "ovrig"}
	raw2, _ := json.Marshal(body2)
	hash2 := sha256.Sum256(append([]byte("POST /api/v1/organisations\n"), raw2...))
	recent := apptest.Unique("recent")
	env.Owner().Exec("INSERT INTO idempotency_keys (principal, key, request_hash, instance) VALUES (?, ?, ?, gen_random_uuid())", "user:"+u.ID, recent, hash2[:])
	if res := env.Do("POST", "/api/v1/organisations", editor, body2, apptest.H("Idempotency-Key", recent)); res.Code != http.StatusCreated {
		t.Fatalf("retry of a key whose process is gone: %d %s", res.Code, res.Body)
	}

	// Died after committing (the change and its event are there, the
	// answer is not): the retry is told, and nothing is made twice.
	done := apptest.Unique("done")
	stale(done)
	env.Owner().Exec(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id, idempotency_key)
		VALUES ('user', ?, 'organisation.create', 'organisation', 'x', ?)`, u.ID, done)
	res := env.Do("POST", "/api/v1/organisations", editor, body, apptest.H("Idempotency-Key", done))
	if res.Code != http.StatusConflict || res.Problem(t).Code != "idempotency_key_processed" || count() != 1 {
		t.Fatalf("retry after a committed change: %d %s (%d rows)", res.Code, res.Body, count())
	}

	// Every change keeps the key of the request that made it.
	fresh := apptest.Unique("fresh")
	var o organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: apptest.Unique("Med nyckel"), Sector: "civil_society",
		LegalForm: "ovrig"}, apptest.H("Idempotency-Key", fresh)).JSON(t, &o)
	var kept string
	env.Owner().Raw("SELECT idempotency_key FROM audit_events WHERE entity_id = ? AND action = 'organisation.create'", o.ID).Scan(&kept)
	if kept != fresh {
		t.Errorf("the event keeps key %q, want %q", kept, fresh)
	}
}

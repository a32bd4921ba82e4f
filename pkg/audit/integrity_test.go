package audit_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// TestTheApplicationRoleCannotRewriteTheTrail logs in as a member of
// samverkan_app, the role the service runs as: it writes events, and may
// neither change, remove nor truncate them, nor switch the table's
// triggers off.
func TestTheApplicationRoleCannotRewriteTheTrail(t *testing.T) {
	env := apptest.New(t)
	env.NewUser(auth.RoleViewer) // an event to try to change
	ctx := context.Background()
	login := "samverkan_test_service_" + strings.ToLower(strings.ReplaceAll(apptest.Unique("x"), "-", "_"))
	for _, stmt := range []string{
		"CREATE ROLE " + login + " LOGIN PASSWORD 'test-service-password' IN ROLE samverkan_app",
	} {
		if err := env.Owner().Exec(stmt).Error; err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { env.Owner().Exec("DROP ROLE IF EXISTS " + login) })
	u, err := url.Parse(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(login, "test-service-password")
	conn, err := pgx.Connect(ctx, u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id)
		VALUES ('system', 'test', 'test.write', 'test', 'role')`); err != nil {
		t.Fatalf("the application role cannot write an event: %v", err)
	}
	for _, stmt := range []string{
		"UPDATE audit_events SET action = 'forged'",
		"DELETE FROM audit_events",
		"TRUNCATE audit_events",
		"ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change",
		"SELECT audit_chain_backfill()",
		"UPDATE goose_db_version SET is_applied = false",
	} {
		if _, err := conn.Exec(ctx, stmt); err == nil || !strings.Contains(err.Error(), "denied") && !strings.Contains(err.Error(), "must be owner") {
			t.Errorf("%s as the application role: %v", stmt, err)
		}
	}
	if _, err := conn.Exec(ctx, "UPDATE organisations SET description = description WHERE false"); err != nil {
		t.Errorf("the application role cannot update its tables: %v", err)
	}
}

// TestVerifyFindsTheFirstBrokenLink alters and removes events as a
// superuser would, behind the triggers' back, and checks that verification
// points at the first one.
func TestVerifyFindsTheFirstBrokenLink(t *testing.T) {
	db := dbtest.Fresh(t)
	env := apptest.Over(t, db)
	_, editor := env.NewUser(auth.RoleEditor)
	var o organisations.Response
	env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Kedjan", Sector: "civil_society", LegalForm: "ovrig"}).JSON(t, &o)
	for v := 1; v <= 3; v++ {
		if r := env.Do("PATCH", "/api/v1/organisations/"+o.ID, editor, map[string]string{"description": fmt.Sprint("version ", v+1)},
			apptest.H("If-Match", fmt.Sprintf(`"%d"`, v))); r.Code != 200 {
			t.Fatalf("update: %d %s", r.Code, r.Body)
		}
	}
	ctx := context.Background()
	v, err := audit.Verify(ctx, db)
	if err != nil || !v.Intact() || v.Events < 5 || v.Streams < 2 {
		t.Fatalf("a fresh trail: %+v %v", v, err)
	}
	var ids []int64
	db.Raw("SELECT id FROM audit_events WHERE entity_type = 'organisation' AND entity_id = ? ORDER BY seq", o.ID).Scan(&ids)
	if len(ids) != 4 {
		t.Fatalf("events of the organisation: %v", ids)
	}
	tamper := func(stmt string, args ...any) {
		t.Helper()
		err := database.InTx(ctx, db, func(tx *gorm.DB) error {
			if err := tx.Exec("ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change").Error; err != nil {
				return err
			}
			if err := tx.Exec(stmt, args...).Error; err != nil {
				return err
			}
			return tx.Exec("ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change").Error
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	tamper(`UPDATE audit_events SET after = jsonb_set(after, '{description}', '"förfalskad"') WHERE id = ?`, ids[2])
	v, err = audit.Verify(ctx, db)
	if err != nil || v.Intact() || v.Broken[0].ID != ids[2] || !strings.Contains(v.Broken[0].Reason, "changed after it was written") {
		t.Fatalf("after altering event %d: %+v %v", ids[2], v, err)
	}
	// Covering the change with a new hash breaks the link after it instead.
	tamper(`UPDATE audit_events SET hash = audit_event_hash(audit_events) WHERE id = ?`, ids[2])
	v, _ = audit.Verify(ctx, db)
	if v.Intact() || v.Broken[0].ID != ids[3] || !strings.Contains(v.Broken[0].Reason, "does not name the event before it") {
		t.Fatalf("after rehashing event %d: %+v", ids[2], v)
	}
	// Removing an earlier event is found too, and comes first.
	tamper(`DELETE FROM audit_events WHERE id = ?`, ids[1])
	v, _ = audit.Verify(ctx, db)
	if v.Intact() || v.Broken[0].ID != ids[2] || !strings.Contains(v.Broken[0].Reason, "missing") {
		t.Fatalf("after removing event %d: %+v", ids[1], v)
	}
}

// TestConcurrentWritersShareOneChain: events of one stream written at
// once from many transactions still form one unbroken chain.
func TestConcurrentWritersShareOneChain(t *testing.T) {
	db := dbtest.Fresh(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range 40 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- database.InTx(ctx, db, func(tx *gorm.DB) error {
				return audit.Record(ctx, tx, audit.Event{Actor: audit.System, Action: "test.concurrent", EntityType: "test",
					EntityID: "busy", After: map[string]int{"n": i}})
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	v, err := audit.Verify(ctx, db)
	if err != nil || !v.Intact() {
		t.Fatalf("%+v %v", v, err)
	}
	var seqs []int64
	db.Raw("SELECT seq FROM audit_events WHERE stream = 'test:busy' ORDER BY seq").Scan(&seqs)
	if len(seqs) != 40 || seqs[0] != 1 || seqs[39] != 40 {
		t.Errorf("sequence numbers %v", seqs)
	}
}

// TestABulkLoadedTrailIsChainedAfterwards: events loaded with the triggers
// off (a bulk load, as the benchmark's) have no place in a chain until
// audit_chain_backfill gives them one, in one pass: 20,000 events in
// seconds, not in minutes.
func TestABulkLoadedTrailIsChainedAfterwards(t *testing.T) {
	db := dbtest.Fresh(t)
	ctx := context.Background()
	err := database.InTx(ctx, db, func(tx *gorm.DB) error {
		if err := tx.Exec("SET LOCAL session_replication_role = replica").Error; err != nil {
			return err
		}
		return tx.Exec(`INSERT INTO audit_events (actor_type, actor_id, action, entity_type, entity_id, after)
			SELECT 'system', 'bulk', 'organisation.create', 'organisation', 'org-' || (n % 5000), jsonb_build_object('n', n)
			FROM generate_series(1, 20000) n`).Error
	})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := audit.Verify(ctx, db); v.Intact() {
		t.Fatal("events without a chain verified")
	}
	start := time.Now()
	var n int64
	if err := db.Raw("SELECT audit_chain_backfill()").Scan(&n).Error; err != nil || n != 20000 {
		t.Fatalf("backfill: %d %v", n, err)
	}
	took := time.Since(start)
	if v, err := audit.Verify(ctx, db); err != nil || !v.Intact() || v.Streams != 5000 {
		t.Fatalf("after the backfill: %d streams, %v %v", v.Streams, v.Broken, err)
	}
	if took > 15*time.Second {
		t.Errorf("chaining 20,000 events took %v", took)
	}
	t.Logf("20,000 events in 5,000 streams chained in %v", took.Round(time.Millisecond))
}

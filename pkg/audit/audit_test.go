package audit_test

import (
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func TestChangesAreAuditedInTheirTransaction(t *testing.T) {
	env := apptest.New(t)
	editorUser, editor := env.NewUser(auth.RoleEditor)
	adminUser, admin := env.NewUser(auth.RoleAdmin)
	res := env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: "Garaget", Sector: "civil_society", LegalForm: "ovrig"},
		apptest.H("X-Request-Id", "req-garaget-1"))
	var o organisations.Response
	res.JSON(t, &o)
	env.Do("PATCH", "/api/v1/organisations/"+o.ID, editor, map[string]string{"description": "Biltvätt i Tynnered"}, apptest.H("If-Match", `"1"`))

	var list audit.EventList
	r := env.Do("GET", "/api/v1/audit-events?entity_type=organisation&entity_id="+o.ID, admin, nil)
	r.JSON(t, &list)
	if r.Code != 200 || len(list.Items) != 2 {
		t.Fatalf("audit events: %d %s", r.Code, r.Body)
	}
	update, create := list.Items[0], list.Items[1] // newest first
	if create.Action != "organisation.create" || create.ActorID != editorUser.ID || create.ActorType != "user" ||
		create.RequestID != "req-garaget-1" || create.Before != nil || !strings.Contains(string(create.After), "Garaget") {
		t.Errorf("create event: %+v", create)
	}
	if update.Action != "organisation.update" || !strings.Contains(string(update.Before), `"version":1`) || !strings.Contains(string(update.After), "Tynnered") {
		t.Errorf("update event: %+v", update)
	}
	r = env.Do("GET", "/api/v1/audit-events?actor="+editorUser.ID+"&limit=1", admin, nil)
	r.JSON(t, &list)
	if len(list.Items) != 1 || list.NextCursor == "" {
		t.Fatalf("paging: %s", r.Body)
	}
	r = env.Do("GET", "/api/v1/audit-events?actor="+editorUser.ID+"&limit=1&cursor="+list.NextCursor, admin, nil)
	r.JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0].Action != "organisation.create" {
		t.Fatalf("second page: %s", r.Body)
	}
	for _, q := range []string{"from=yesterday", "limit=0", "cursor=abc", "entity=organisation"} {
		if r := env.Do("GET", "/api/v1/audit-events?"+q, admin, nil); r.Code != 400 {
			t.Errorf("%s: %d", q, r.Code)
		}
	}
	if r := env.Do("GET", "/api/v1/audit-events", editor, nil); r.Code != 403 {
		t.Errorf("an editor read the audit trail: %d", r.Code)
	}
	_ = adminUser
}

func TestTheDatabaseRefusesToAlterTheTrail(t *testing.T) {
	env := apptest.New(t)
	env.NewUser(auth.RoleViewer) // writes a user.create event
	for _, stmt := range []string{
		"UPDATE audit_events SET action = 'forged'",
		"DELETE FROM audit_events",
		"TRUNCATE audit_events",
	} {
		err := env.Owner().Exec(stmt).Error
		if err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: %v", stmt, err)
		}
	}
}

package app_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

// counter counts the queries sent to PostgreSQL.
type counter struct{ n atomic.Int64 }

func (c *counter) TraceQueryStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceQueryStartData) context.Context {
	c.n.Add(1)
	return ctx
}
func (c *counter) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// The number of queries a list or a detail sends does not grow with its
// rows: no query per row. A district with 3 partnerships and one with 12,
// a partnership with 1 party and one with 8, cost the same.
func TestQueriesPerRequestAreConstant(t *testing.T) {
	base := apptest.New(t) // seeds the districts
	var c counter
	db, err := database.Open(context.Background(), dbtest.URL(t), database.Options{MaxConns: 4, Tracer: &c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { database.Close(db) }) //nolint:errcheck
	env := apptest.Over(t, db)
	_, editor := env.NewUser(auth.RoleEditor)
	_, client := env.NewUser(auth.RoleViewer)

	var src funding.Source
	env.Do("POST", "/api/v1/funding-sources", editor, map[string]string{"name": "Källa " + apptest.Unique("q"), "kind": "municipal_budget"}).JSON(t, &src)
	create := func(district string, parties int) string {
		var p partnerships.Response
		res := env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Räknad " + apptest.Unique("q"), Form: "iop", Status: "active",
			MunicipalityCode: "1480", StartDate: "2024-01-01", DistrictIDs: []string{base.Districts[district]}, TargetGroups: []string{"unga"}})
		res.JSON(t, &p)
		if res.Code != 201 {
			t.Fatalf("partnership: %d %s", res.Code, res.Body)
		}
		for i := 0; i < parties; i++ {
			var o organisations.Response
			env.Do("POST", "/api/v1/organisations", editor, organisations.NewRequest{Name: fmt.Sprintf("Förening %s", apptest.Unique("q")),
				Sector: "civil_society", LegalForm: "ideell_forening"}).JSON(t, &o)
			env.Do("POST", "/api/v1/partnerships/"+p.ID+"/parties", editor, partnerships.NewPartyRequest{OrganisationID: o.ID, Role: "partner"})
			granted := int64(10_000_00)
			env.Do("POST", "/api/v1/allocations", editor, funding.AllocationRequest{SourceID: &src.ID, PartnershipID: &p.ID,
				RecipientOrganisationID: &o.ID, GrantedOre: &granted, FiscalYear: ptr(2024), Status: ptr("granted")})
			env.Do("POST", "/api/v1/partnerships/"+p.ID+"/indicators", editor, evaluation.IndicatorRequest{Name: ptr("Deltagare"), Unit: ptr("personer"), ResultLevel: ptr("output")})
		}
		return p.ID
	}
	small := create("Angered", 1)
	for i := 0; i < 2; i++ {
		create("Angered", 1)
	}
	large := create("Lundby", 8)
	for i := 0; i < 11; i++ {
		create("Lundby", 0)
	}

	count := func(path string) int64 {
		before := c.n.Load()
		if res := env.Do("GET", path, client, nil); res.Code != 200 {
			t.Fatalf("%s: %d %s", path, res.Code, res.Body)
		}
		return c.n.Load() - before
	}
	for name, pair := range map[string][2]string{
		"partnership list":   {"/api/v1/partnerships?district=" + base.Districts["Angered"], "/api/v1/partnerships?district=" + base.Districts["Lundby"]},
		"partnership detail": {"/api/v1/partnerships/" + small, "/api/v1/partnerships/" + large},
		"parties":            {"/api/v1/partnerships/" + small + "/parties", "/api/v1/partnerships/" + large + "/parties"},
		"indicators":         {"/api/v1/partnerships/" + small + "/indicators", "/api/v1/partnerships/" + large + "/indicators"},
		"allocations":        {"/api/v1/allocations?partnership=" + small, "/api/v1/allocations?partnership=" + large},
		"organisation list":  {"/api/v1/organisations?limit=2", "/api/v1/organisations?limit=50"},
	} {
		a, b := count(pair[0]), count(pair[1])
		t.Logf("%-20s %d queries for few rows, %d for many", name, a, b)
		if a != b {
			t.Errorf("%s: %d queries for few rows, %d for many: a query per row", name, a, b)
		}
	}
}

func ptr[T any](v T) *T { return &v }

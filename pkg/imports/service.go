package imports

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"sort"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/evaluation"
	"github.com/samverkan/samverkan/pkg/funding"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Result is what an import did, or in a dry run would do.
type Result struct {
	Type      string     `json:"type" example:"organisations"`
	DryRun    bool       `json:"dry_run"`
	Rows      int        `json:"rows" example:"3000"`
	Created   int        `json:"created"`
	Updated   int        `json:"updated"`
	Committed bool       `json:"committed"`
	Errors    []RowError `json:"errors"`
} // @name ImportResult

// Types are the kinds of file that can be imported.
var Types = []string{"organisations", "partnerships", "allocations", "measurements"}

var permissions = map[string]auth.Permission{
	"organisations": auth.OrganisationsWrite,
	"partnerships":  auth.PartnershipsWrite,
	"allocations":   auth.FundingWrite,
	"measurements":  auth.EvaluationWrite,
}

// importer is an area's import: rows in, counts and problems out, through
// the transaction it is given.
type importer func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []tabular.Row) (tabular.Result, error)

// Service runs imports.
type Service struct {
	db        *gorm.DB
	importers map[string]importer
}

// NewService returns the import service over the areas' importers.
func NewService(db *gorm.DB, orgs *organisations.Service, parts *partnerships.Service, fund *funding.Service, eval *evaluation.Service) *Service {
	return &Service{db: db, importers: map[string]importer{
		"organisations": orgs.Import, "partnerships": parts.Import, "allocations": fund.Import, "measurements": eval.Import,
	}}
}

var errRollback = errors.New("roll back")

// Run imports data of kind typ. Everything happens in one transaction, which
// commits only when it is not a dry run and no row has a problem.
func (s *Service) Run(ctx context.Context, p auth.Principal, typ string, data []byte, dryRun bool) (Result, error) {
	res := Result{Type: typ, DryRun: dryRun, Errors: []RowError{}}
	if !slices.Contains(Types, typ) {
		var f problem.Fields
		f.OneOf("type", typ, Types)
		return res, f.BadRequest("invalid_query")
	}
	if !auth.Allows(p, permissions[typ]) {
		return res, problem.Forbidden("you may not write " + typ)
	}
	rows, err := ReadTable(data)
	if err != nil {
		return res, problem.Unprocessable("unreadable_file", err.Error())
	}
	res.Rows = len(rows)
	err = database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		out, err := s.importers[typ](ctx, tx, p, rows)
		if err != nil {
			return err
		}
		res.Created, res.Updated = out.Created, out.Updated
		lines := make([]int, 0, len(out.Problems))
		for l := range out.Problems {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		for _, l := range lines {
			for _, fe := range out.Problems[l] {
				res.Errors = append(res.Errors, RowError{Row: l, Column: fe.Field, Code: fe.Code, Message: fe.Message})
			}
		}
		if dryRun || len(res.Errors) > 0 {
			return errRollback
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "import." + typ, EntityType: "import",
			After: map[string]int{"rows": res.Rows, "created": res.Created, "updated": res.Updated}})
	})
	switch {
	case errors.Is(err, errRollback):
	case err != nil:
		return res, err
	default:
		res.Committed = true
	}
	if !dryRun && len(res.Errors) > 0 {
		res.Created, res.Updated = 0, 0
		e := problem.New(http.StatusUnprocessableEntity, "import_failed", "nothing was imported; correct the rows listed and try again")
		return res, &importProblem{problem: e, result: res}
	}
	return res, nil
}

// importProblem is a 422 that carries the row errors.
type importProblem struct {
	problem *problem.Error
	result  Result
}

func (e *importProblem) Error() string { return e.problem.Error() }

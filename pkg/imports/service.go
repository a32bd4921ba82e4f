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

// outcome is what an area's importer reports.
type outcome struct {
	created, updated int
	problems         map[int]problem.Fields
}

type importer func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []Row) (outcome, error)

// Service runs imports.
type Service struct {
	db        *gorm.DB
	importers map[string]importer
}

// NewService returns the import service over the areas' importers.
func NewService(db *gorm.DB, orgs *organisations.Service, parts *partnerships.Service, fund *funding.Service, eval *evaluation.Service) *Service {
	return &Service{db: db, importers: map[string]importer{
		"organisations": func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []Row) (outcome, error) {
			in := make([]organisations.ImportRow, len(rows))
			for i, r := range rows {
				in[i] = organisations.ImportRow{Line: r.Line, Values: r.Values}
			}
			out, err := orgs.Import(ctx, tx, p, in)
			return outcome{out.Created, out.Updated, out.Problems}, err
		},
		"partnerships": func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []Row) (outcome, error) {
			in := make([]partnerships.ImportRow, len(rows))
			for i, r := range rows {
				in[i] = partnerships.ImportRow{Line: r.Line, Values: r.Values}
			}
			out, err := parts.Import(ctx, tx, p, in)
			return outcome{out.Created, out.Updated, out.Problems}, err
		},
		"allocations": func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []Row) (outcome, error) {
			in := make([]funding.ImportRow, len(rows))
			for i, r := range rows {
				in[i] = funding.ImportRow{Line: r.Line, Values: r.Values}
			}
			out, err := fund.Import(ctx, tx, p, in)
			return outcome{out.Created, out.Updated, out.Problems}, err
		},
		"measurements": func(ctx context.Context, tx *gorm.DB, p auth.Principal, rows []Row) (outcome, error) {
			in := make([]evaluation.ImportRow, len(rows))
			for i, r := range rows {
				in[i] = evaluation.ImportRow{Line: r.Line, Values: r.Values}
			}
			out, err := eval.Import(ctx, tx, p, in)
			return outcome{out.Created, out.Updated, out.Problems}, err
		},
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
		res.Created, res.Updated = out.created, out.updated
		lines := make([]int, 0, len(out.problems))
		for l := range out.problems {
			lines = append(lines, l)
		}
		sort.Ints(lines)
		for _, l := range lines {
			for _, fe := range out.problems[l] {
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

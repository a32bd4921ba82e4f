// Command pgx is the minimal Echo + pgx server of the benchmark: raw SQL,
// rows scanned by position, no authentication. Usage: pgx ADDR DATABASE_URL
package main

import (
	"context"
	"net/http"
	"os"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/bench/minimal"
)

func main() {
	cfg, err := pgxpool.ParseConfig(os.Args[2])
	if err != nil {
		panic(err)
	}
	cfg.MaxConns = 20
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		panic(err)
	}
	e := echo.New()
	e.GET("/partnerships", func(c echo.Context) error {
		rows, err := pool.Query(c.Request().Context(), minimal.ListSQL, c.QueryParam("status"), c.QueryParam("district"))
		if err != nil {
			return err
		}
		items, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (p minimal.Partnership, err error) {
			err = r.Scan(&p.ID, &p.Reference, &p.Title, &p.Form, &p.Status, &p.StartDate, &p.EndDate, &p.MunicipalityCode,
				&p.DistrictIDs, &p.TargetGroups, &p.TotalBudgetOre, &p.Version, &p.CreatedAt, &p.UpdatedAt)
			return p, err
		})
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"items": items})
	})
	e.HideBanner = true
	panic(e.Start(os.Args[1]))
}

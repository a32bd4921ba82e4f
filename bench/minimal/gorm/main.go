// Command gorm is the minimal Echo + GORM server of the benchmark: the same
// SQL, rows scanned by GORM's reflection, no authentication.
// Usage: gorm ADDR DATABASE_URL
package main

import (
	"net/http"
	"os"
	"strings"

	"github.com/labstack/echo/v4"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/samverkan/samverkan/bench/minimal"
	"github.com/samverkan/samverkan/pkg/platform/database"
)

// row is a partnership as GORM scans it; arrays need a Scanner.
type row struct {
	minimal.Partnership
	DistrictIDs  database.Strings `json:"district_ids"`
	TargetGroups database.Strings `json:"target_groups"`
}

// listSQL is minimal.ListSQL with GORM's placeholders.
var listSQL = strings.NewReplacer("$1", "?", "$2", "?").Replace(minimal.ListSQL)

func main() {
	db, err := gorm.Open(postgres.Open(os.Args[2]), &gorm.Config{Logger: logger.Discard, PrepareStmt: true})
	if err != nil {
		panic(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(20)
	sqlDB.SetMaxIdleConns(20)
	e := echo.New()
	e.GET("/partnerships", func(c echo.Context) error {
		var items []row
		if err := db.WithContext(c.Request().Context()).Raw(listSQL, c.QueryParam("status"), c.QueryParam("district")).Scan(&items).Error; err != nil {
			return err
		}
		return c.JSON(http.StatusOK, map[string]any{"items": items})
	})
	e.HideBanner = true
	panic(e.Start(os.Args[1]))
}

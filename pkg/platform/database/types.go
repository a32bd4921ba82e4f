package database

import (
	"database/sql/driver"
	"errors"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgtype"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// typeMaps holds pgx type maps for parsing arrays; a map caches plans as it
// is used, so it is not safe for concurrent use and each scan borrows one.
var typeMaps = sync.Pool{New: func() any { return pgtype.NewMap() }}

// Strings is a PostgreSQL text[] or uuid[] column.
type Strings []string

// Scan implements sql.Scanner.
func (s *Strings) Scan(src any) error {
	var out []string
	m := typeMaps.Get().(*pgtype.Map)
	defer typeMaps.Put(m)
	if err := m.SQLScanner(&out).Scan(src); err != nil {
		return err
	}
	*s = out
	return nil
}

// Value implements driver.Valuer as an array literal PostgreSQL casts to the
// column's type.
func (s Strings) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, v := range s {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v))
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// UpdateVersioned writes values to the row of table with id, only if its
// version is still version, and bumps the version. It answers a stale version
// with 412 and a missing row with 404 (entity names it).
func UpdateVersioned(tx *gorm.DB, table, entity string, id any, version int, values map[string]any) (int, error) {
	values["version"] = gorm.Expr("version + 1")
	values["updated_at"] = gorm.Expr("now()")
	res := tx.Table(table).Where("id = ? AND version = ?", id, version).Updates(values)
	if res.Error != nil {
		return 0, res.Error
	}
	if res.RowsAffected == 1 {
		return version + 1, nil
	}
	var exists bool
	if err := tx.Raw("SELECT EXISTS (SELECT 1 FROM "+table+" WHERE id = ?)", id).Scan(&exists).Error; err != nil {
		return 0, err
	}
	if exists {
		return 0, problem.Stale()
	}
	return 0, problem.NotFound(entity)
}

// IsNotFound reports whether err is GORM's record-not-found.
func IsNotFound(err error) bool { return errors.Is(err, gorm.ErrRecordNotFound) }

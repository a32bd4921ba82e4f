package audit

import (
	"context"
	"reflect"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/database"
)

// Change is one row written by Save: inserted when ID is "", else updated
// at the version the client read. T is what the change answers with, as
// Load reads it.
type Change[T any] struct {
	Table  string // the row's table, for an update
	Entity string // the row's name in a 404: "allocation"
	// ID names the row to update; "" inserts Row.
	ID string
	// Version is the client's If-Match version: an update of any other
	// answers 412, of a missing row 404.
	Version int
	// Row, for an insert, points at the GORM row, a struct with a string
	// field ID. The INSERT leaves ID, Version, CreatedAt, UpdatedAt and
	// ArchivedAt to the database's defaults; GORM reads the new ID back.
	Row any
	// Values, for an update, are the columns that change.
	Values map[string]any
	// Then, when set, writes what hangs on the row (its targets, its
	// history, its partnership's updated_at) once the row has its id.
	Then func(id string) error
	// Load, when set, reads the row back as the change answers with it.
	Load func(id string) (T, error)
	// Trail, when set, is what the trail keeps of that answer, where it is
	// not the answer itself (another form, no personal data).
	Trail func(T) any
	// Event is what the trail records. Save fills in EntityID and, when
	// Load is set, After: what Load read, through Trail when set.
	Event Event
}

// Save writes c through tx, the transaction of the change, reads the row
// back into out (when not nil) and records the event there: the one path
// of an insert or versioned update, its reload and its audit event.
func Save[T any](ctx context.Context, tx *gorm.DB, out *T, c Change[T]) error {
	id := c.ID
	if id == "" {
		if err := tx.Omit("ID", "Version", "CreatedAt", "UpdatedAt", "ArchivedAt").Create(c.Row).Error; err != nil {
			return err
		}
		id = reflect.ValueOf(c.Row).Elem().FieldByName("ID").String()
	} else if _, err := database.UpdateVersioned(tx, c.Table, c.Entity, id, c.Version, c.Values); err != nil {
		return err
	}
	if c.Then != nil {
		if err := c.Then(id); err != nil {
			return err
		}
	}
	e := c.Event
	e.EntityID = id
	if c.Load != nil {
		v, err := c.Load(id)
		if err != nil {
			return err
		}
		e.After = v
		if c.Trail != nil {
			e.After = c.Trail(v)
		}
		if out != nil {
			*out = v
		}
	}
	return Record(ctx, tx, e)
}

// Reload is the Load of a change whose answer is its row, of type R, read
// by id through tx and turned into the answer by to.
func Reload[R, T any](tx *gorm.DB, to func(R) T) func(id string) (T, error) {
	return func(id string) (T, error) {
		var r R
		err := tx.Where("id = ?", id).Take(&r).Error
		return to(r), err
	}
}

package web

import (
	"fmt"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"gorm.io/gorm"
)

func TestDatabaseRefusalsAre422(t *testing.T) {
	tests := []struct {
		err         error
		code, field string
	}{
		{&pgconn.PgError{Code: "22003", Message: "numeric field overflow"}, "out_of_range", ""},
		{fmt.Errorf("%w: %w", gorm.ErrForeignKeyViolated, &pgconn.PgError{Code: "23503", TableName: "matching_entries",
			ConstraintName: "matching_entries_district_id_fkey"}), "reference_not_found", "district_id"},
		{fmt.Errorf("%w: %w", gorm.ErrCheckConstraintViolated, &pgconn.PgError{Code: "23514", TableName: "disbursements",
			ConstraintName: "disbursements_amount_ore_check"}), "check_violation", "amount_ore"},
		{gorm.ErrForeignKeyViolated, "reference_not_found", ""},
		{&pgconn.PgError{Code: "23514", TableName: "rules", ConstraintName: "named_by_hand"}, "check_violation", ""},
	}
	for _, tt := range tests {
		p := ToProblem(tt.err)
		if p.Status != 422 || p.Code != tt.code {
			t.Errorf("ToProblem(%v) = %d %s, want 422 %s", tt.err, p.Status, p.Code, tt.code)
			continue
		}
		if tt.field != "" && (len(p.Errors) != 1 || p.Errors[0].Field != tt.field) {
			t.Errorf("ToProblem(%v) errors %+v, want the field %s", tt.err, p.Errors, tt.field)
		}
	}
}

// Package imports reads organisations, partnerships, allocations and
// measurements from CSV or XLSX files in exactly the export format: a dry run
// answers every problem by row and column and writes nothing; a real run is
// all-or-nothing in one transaction, and audited row by row.
package imports

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/samverkan/samverkan/pkg/platform/tabular"
)

// Row is one data row by column name.
type Row = tabular.Row

// RowError is one problem of one row.
type RowError struct {
	Row     int    `json:"row" example:"7"`
	Column  string `json:"column" example:"org_number"`
	Code    string `json:"code" example:"checksum"`
	Message string `json:"message" example:"the check digit does not match"`
} // @name ImportError

// unzipLimit bounds what a workbook may unpack to: ten times the largest
// file, more than real data compresses by.
const unzipLimit = 10 * MaxSize

// ReadTable reads a CSV (UTF-8, comma-separated, as exported) or an XLSX
// workbook (its first sheet) into rows keyed by the header row.
func ReadTable(data []byte) ([]Row, error) {
	var records [][]string
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		// A workbook is a zip: its parts are read only up to a size, so that a
		// small file that unpacks to gigabytes (a zip bomb) is refused.
		x, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: unzipLimit, UnzipXMLSizeLimit: unzipLimit / 4})
		if err != nil {
			return nil, fmt.Errorf("the workbook could not be read: %w", err)
		}
		defer x.Close()
		sheets := x.GetSheetList()
		if len(sheets) == 0 {
			return nil, fmt.Errorf("the workbook has no sheet")
		}
		if records, err = x.GetRows(sheets[0]); err != nil {
			return nil, err
		}
	} else {
		if !utf8.Valid(data) {
			return nil, fmt.Errorf("the file is not UTF-8 text")
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))))
		r.FieldsPerRecord = -1
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("the CSV could not be read: %w", err)
			}
			records = append(records, rec)
		}
	}
	if len(records) == 0 {
		return nil, fmt.Errorf("the file is empty")
	}
	header := records[0]
	var rows []Row
	for i, rec := range records[1:] {
		if len(rec) == 0 || (len(rec) == 1 && strings.TrimSpace(rec[0]) == "") {
			continue
		}
		values := make(map[string]string, len(header))
		for j, h := range header {
			v := ""
			if j < len(rec) {
				v = rec[j]
			}
			if len(v) > 1 && v[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(v[1])) {
				v = v[1:] // undo the CSV export's guard against spreadsheet formulas
			}
			values[strings.TrimSpace(h)] = v
		}
		rows = append(rows, Row{Line: i + 2, Values: values})
	}
	return rows, nil
}

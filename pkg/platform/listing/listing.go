// Package listing parses and applies the list conventions every collection
// shares: a page size, an opaque cursor, a whitelisted sort key and keyset
// pagination, so pages stay stable while rows are inserted.
package listing

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

const (
	// DefaultLimit is the page size when none is asked for.
	DefaultLimit = 50
	// MaxLimit is the largest page a client may ask for.
	MaxLimit = 200
)

// SortKey is one column a list may be sorted by. Column must be a trusted SQL
// expression; Cast turns the cursor's text back into the column's type.
type SortKey struct {
	Column string
	Cast   string // e.g. "timestamptz"; empty for text
}

// Page is a parsed list request.
type Page struct {
	Limit int
	Sort  string // the key as the client named it, without "-"
	Desc  bool
	key   SortKey
	after *cursor
}

type cursor struct {
	Sort  string `json:"s"`
	Value string `json:"v"`
	ID    string `json:"i"`
}

// Parse reads limit, cursor and sort from q. keys whitelists the sort keys;
// def is the default, e.g. "name" or "-updated_at".
func Parse(q url.Values, keys map[string]SortKey, def string) (Page, error) {
	var f problem.Fields
	p := Page{Limit: DefaultLimit}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			f.Add("limit", "out_of_range", "must be a whole number from 1 to "+strconv.Itoa(MaxLimit))
		} else {
			p.Limit = n
		}
	}
	sort := q.Get("sort")
	if sort == "" {
		sort = def
	}
	p.Desc = strings.HasPrefix(sort, "-")
	p.Sort = strings.TrimPrefix(sort, "-")
	k, ok := keys[p.Sort]
	if !ok {
		names := make([]string, 0, len(keys))
		for n := range keys {
			names = append(names, n)
		}
		slices.Sort(names)
		f.Add("sort", "unknown_sort_key", "must be one of "+strings.Join(names, ", ")+", optionally prefixed with -")
	}
	p.key = k
	if v := q.Get("cursor"); v != "" {
		c, err := decodeCursor(v)
		switch {
		case err != nil:
			f.Add("cursor", "invalid_cursor", "is not a cursor this list gave out")
		case c.Sort != sort:
			f.Add("cursor", "cursor_sort_mismatch", "belongs to another sort order; start again without a cursor")
		default:
			p.after = c
		}
	}
	if err := f.BadRequest("invalid_query"); err != nil {
		return Page{}, err
	}
	return p, nil
}

// Apply adds the keyset condition, the order and the limit (one extra row, to
// know whether another page follows) to query. idColumn breaks ties.
func (p Page) Apply(query *gorm.DB, idColumn string) *gorm.DB {
	col := p.key.Column
	cast := ""
	if p.key.Cast != "" {
		cast = "::" + p.key.Cast
	}
	dir, cmp := "ASC", ">"
	if p.Desc {
		dir, cmp = "DESC", "<"
	}
	if p.after != nil {
		query = query.Where("("+col+", "+idColumn+") "+cmp+" (?"+cast+", ?::uuid)", p.after.Value, p.after.ID)
	}
	return query.Order(col + " " + dir + ", " + idColumn + " " + dir).Limit(p.Rows())
}

// Rows is how many rows Apply asks for: the page and one more, which tells
// whether there is a next page.
func (p Page) Rows() int { return p.Limit + 1 }

// Cut trims the extra row Apply asked for and returns the page and the cursor
// of the next one (empty on the last page). key returns a row's sort value as
// text and its id.
func Cut[T any](p Page, rows []T, key func(T) (value, id string)) ([]T, string) {
	if len(rows) <= p.Limit {
		return rows, ""
	}
	rows = rows[:p.Limit]
	v, id := key(rows[len(rows)-1])
	sort := p.Sort
	if p.Desc {
		sort = "-" + sort
	}
	b, _ := json.Marshal(cursor{Sort: sort, Value: v, ID: id})
	return rows, base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (*cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, err
	}
	var c cursor
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, err
	}
	if len(c.ID) != 36 || len(c.Value) > 1000 {
		return nil, errBadCursor
	}
	return &c, nil
}

var errBadCursor = errors.New("bad cursor")

// TimeValue writes a timestamp sort value for a cursor.
func TimeValue(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// Only refuses query parameters other than allowed and the list parameters
// (limit, cursor, sort), so that a misspelt filter is an error rather than
// silently ignored.
func Only(q url.Values, allowed ...string) error {
	var f problem.Fields
	for name := range q {
		if name == "limit" || name == "cursor" || name == "sort" || slices.Contains(allowed, name) {
			continue
		}
		f.Add(name, "unknown_parameter", "is not a parameter of this list")
	}
	slices.SortFunc(f, func(a, b problem.FieldError) int { return strings.Compare(a.Field, b.Field) })
	return f.BadRequest("invalid_query")
}

// PrefixQuery turns what a person types into a PostgreSQL tsquery of its
// words, each matched as a prefix, so "räddnings miss" finds
// Räddningsmissionen. Only letters and digits pass, so no input can break the
// query syntax; "" means no search.
func PrefixQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(words) > 10 {
		words = words[:10]
	}
	for i, w := range words {
		if r := []rune(w); len(r) > 60 {
			w = string(r[:60])
		}
		words[i] = w + ":*"
	}
	return strings.Join(words, " & ")
}

// IDPage reads limit and a numeric id cursor, for lists ordered newest
// first by a growing id (the audit trail), adding what is wrong to f.
func IDPage(q url.Values, f *problem.Fields) (limit int, afterID int64) {
	limit = DefaultLimit
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			f.Add("limit", "out_of_range", "must be a whole number from 1 to "+strconv.Itoa(MaxLimit))
		}
		limit = n
	}
	if v := q.Get("cursor"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 1 {
			f.Add("cursor", "invalid_cursor", "is not a cursor this list gave out")
		}
		afterID = n
	}
	return limit, afterID
}

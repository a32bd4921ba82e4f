package web

import (
	"encoding/json"
	"fmt"
	"math"
	"mime"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// operation is what the edge needs to know of one operation of the
// contract: the query parameters it takes and the media types it answers.
type operation struct {
	query    map[string]parameter
	produces []string // media types of its successful answers; none for 204
}

// parameter is what the contract says of a query parameter's value.
type parameter struct {
	typ       string         // string, integer, number, boolean or array (may be sent more than once)
	format    string         // date, date-time or uuid, checked; others are not
	enum      []string       // the values allowed, when it is a code
	pattern   *regexp.Regexp // what a string must match
	maxLength int            // characters at most; 0: no limit declared
	min, max  *float64       // bounds of a number
}

// Contract holds the operations of the API contract by method and route.
type Contract struct {
	ops map[route]operation
}

// route is an operation's method and Echo path (/api/v1/partnerships/:id);
// a struct, so that looking one up per request allocates nothing.
type route struct {
	method, path string
}

// NewContract reads the operations of an OpenAPI 3 document whose server
// is prefix (such as /api/v1).
func NewContract(spec []byte, prefix string) (*Contract, error) {
	var doc struct {
		Paths map[string]map[string]struct {
			Parameters []struct {
				Name   string `json:"name"`
				In     string `json:"in"`
				Schema struct {
					Type      string   `json:"type"`
					Format    string   `json:"format"`
					Enum      []string `json:"enum"`
					Pattern   string   `json:"pattern"`
					MaxLength int      `json:"maxLength"`
					Minimum   *float64 `json:"minimum"`
					Maximum   *float64 `json:"maximum"`
				} `json:"schema"`
			} `json:"parameters"`
			Responses map[string]struct {
				Content map[string]json.RawMessage `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(spec, &doc); err != nil {
		return nil, fmt.Errorf("read the contract: %w", err)
	}
	c := &Contract{ops: map[route]operation{}}
	for specPath, item := range doc.Paths {
		path := prefix + strings.NewReplacer("{", ":", "}", "").Replace(specPath)
		for method, op := range item {
			o := operation{query: map[string]parameter{}}
			for _, p := range op.Parameters {
				if p.In != "query" {
					continue
				}
				q := parameter{typ: p.Schema.Type, format: p.Schema.Format, enum: p.Schema.Enum,
					maxLength: p.Schema.MaxLength, min: p.Schema.Minimum, max: p.Schema.Maximum}
				if p.Schema.Pattern != "" {
					var err error
					if q.pattern, err = regexp.Compile(p.Schema.Pattern); err != nil {
						return nil, fmt.Errorf("%s %s: parameter %s: %w", method, path, p.Name, err)
					}
				}
				o.query[p.Name] = q
			}
			for status, r := range op.Responses {
				if strings.HasPrefix(status, "2") {
					for mt := range r.Content {
						o.produces = append(o.produces, mt)
					}
				}
			}
			sort.Strings(o.produces)
			c.ops[route{strings.ToUpper(method), path}] = o
		}
	}
	return c, nil
}

// Enforce answers what the contract does not allow before the handler
// runs: a query parameter the operation does not declare, a single one
// sent twice, a value longer than its maxLength, or a number that is not
// whole or outside its bounds, is 400; an Accept the operation cannot
// serve is 406. Routes
// outside the contract (probes, the web app, the documentation) pass.
func (ct *Contract) Enforce(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		method := c.Request().Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		op, ok := ct.ops[route{method, c.Path()}]
		if !ok {
			return next(c)
		}
		if err := op.checkQuery(c); err != nil {
			return err
		}
		if err := op.checkAccept(c); err != nil {
			return err
		}
		if len(op.produces) > 1 { // JSON or CSV from one address: caches must keep both
			c.Response().Header().Add(echo.HeaderVary, echo.HeaderAccept)
		}
		return next(c)
	}
}

func (op operation) checkQuery(c echo.Context) error {
	var f problem.Fields
	for name, values := range c.QueryParams() {
		p, known := op.query[name]
		switch {
		case !known:
			f.Add(name, "unknown_parameter", "is not a parameter of this operation"+op.knownParameters())
		case len(values) > 1 && p.typ != "array":
			f.Add(name, "repeated_parameter", "may be sent once")
		default:
			for _, v := range values {
				if code, msg := p.check(v); code != "" {
					f.Add(name, code, msg)
					break
				}
			}
		}
	}
	if len(f) == 0 {
		return nil
	}
	sort.Slice(f, func(i, j int) bool { return f[i].Field < f[j].Field })
	return f.BadRequest("invalid_query")
}

func (op operation) knownParameters() string {
	if len(op.query) == 0 {
		return ", which takes none"
	}
	names := make([]string, 0, len(op.query))
	for n := range op.query {
		names = append(names, n)
	}
	sort.Strings(names)
	return "; it takes " + strings.Join(names, ", ")
}

// checkAccept answers 406 when the client accepts none of the operation's
// media types. format=csv chooses CSV whatever Accept says.
func (op operation) checkAccept(c echo.Context) error {
	accept := c.Request().Header.Get(echo.HeaderAccept)
	if accept == "" || accept == "*/*" || len(op.produces) == 0 || c.QueryParam("format") != "" {
		return nil
	}
	for _, mt := range op.produces {
		if Accepts(accept, mt) {
			return nil
		}
	}
	return problem.New(http.StatusNotAcceptable, "not_acceptable",
		"this operation answers "+strings.Join(op.produces, ", ")+"; ask for one of them in Accept")
}

// Accepts reports whether an Accept header admits the media type mt (RFC
// 9110 §12.5.1): the most specific range that matches it decides, and q=0
// refuses, so "application/json;q=0, */*" refuses JSON. A header that
// cannot be read admits anything.
func Accepts(accept, mt string) bool {
	typ, _, _ := strings.Cut(mt, "/")
	best, q, readable := -1, 0.0, false
	for _, part := range strings.Split(accept, ",") {
		r, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || !strings.Contains(r, "/") {
			continue
		}
		readable = true
		rt, rs, _ := strings.Cut(r, "/")
		specific := -1
		switch {
		case strings.EqualFold(r, mt):
			specific = 2
		case rt == typ && rs == "*":
			specific = 1
		case rt == "*" && rs == "*":
			specific = 0
		}
		if specific <= best {
			continue
		}
		best, q = specific, 1
		if v, ok := params["q"]; ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
	}
	return !readable || best >= 0 && q > 0
}

// check tells what is wrong with one value of the parameter, if anything:
// the contract's type, format, enum, pattern, length and bounds. An empty
// value of a typed parameter is refused too; leave the parameter out.
func (p parameter) check(v string) (code, message string) {
	typed := p.typ != "string" || p.format != "" || len(p.enum) > 0 || p.pattern != nil
	switch {
	case v == "" && typed:
		return "empty_value", "must not be empty: leave the parameter out instead"
	case p.maxLength > 0 && utf8.RuneCountInString(v) > p.maxLength:
		return "too_long", "must be at most " + strconv.Itoa(p.maxLength) + " characters"
	case len(p.enum) > 0 && !slices.Contains(p.enum, v):
		return "not_allowed", "must be one of: " + strings.Join(p.enum, ", ")
	case p.pattern != nil && !p.pattern.MatchString(v):
		return "invalid_format", "must match " + p.pattern.String()
	case p.typ == "boolean" && v != "true" && v != "false":
		return "wrong_type", "must be true or false"
	case p.typ == "integer" || p.typ == "number":
		return p.checkNumber(v)
	}
	switch p.format {
	case "date":
		if t, err := time.Parse(time.DateOnly, v); err != nil || t.Year() < dates.MinYear {
			return "invalid_date", "must be a date from 1900-01-01 on, such as 2026-01-31"
		}
	case "date-time":
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			return "invalid_time", "must be an RFC 3339 timestamp such as 2026-01-31T12:00:00Z"
		}
	case "uuid":
		if !problem.IsUUID(v) {
			return "invalid_id", "must be an id (UUID)"
		}
	}
	return "", ""
}

func (p parameter) checkNumber(v string) (code, message string) {
	n, err := strconv.ParseFloat(v, 64)
	switch {
	case err != nil || math.IsNaN(n) || math.IsInf(n, 0):
		return "wrong_type", "must be a number"
	case p.typ == "integer" && n != math.Trunc(n), p.typ == "integer" && strings.ContainsAny(v, ".eE"):
		return "wrong_type", "must be a whole number"
	case p.min != nil && n < *p.min, p.max != nil && n > *p.max:
		return "out_of_range", fmt.Sprintf("must be from %g to %g", *p.min, *p.max)
	}
	return "", ""
}

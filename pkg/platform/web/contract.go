package web

import (
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// operation is what the edge needs to know of one operation of the
// contract: the query parameters it takes and the media types it answers.
type operation struct {
	query    map[string]bool // name → may be repeated
	produces []string        // media types of its successful answers; none for 204
}

// Contract holds the operations of the API contract by method and route.
type Contract struct {
	ops map[string]operation // "GET /api/v1/partnerships/:id"
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
					Type string `json:"type"`
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
	c := &Contract{ops: map[string]operation{}}
	for path, item := range doc.Paths {
		route := prefix + strings.NewReplacer("{", ":", "}", "").Replace(path)
		for method, op := range item {
			o := operation{query: map[string]bool{}}
			for _, p := range op.Parameters {
				if p.In == "query" {
					o.query[p.Name] = p.Schema.Type == "array"
				}
			}
			for status, r := range op.Responses {
				if strings.HasPrefix(status, "2") {
					for mt := range r.Content {
						o.produces = append(o.produces, mt)
					}
				}
			}
			sort.Strings(o.produces)
			c.ops[strings.ToUpper(method)+" "+route] = o
		}
	}
	return c, nil
}

// Enforce answers what the contract does not allow before the handler
// runs: a query parameter the operation does not declare, or a single one
// sent twice, is 400; an Accept the operation cannot serve is 406. Routes
// outside the contract (probes, the web app, the documentation) pass.
func (ct *Contract) Enforce(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		method := c.Request().Method
		if method == http.MethodHead {
			method = http.MethodGet
		}
		op, ok := ct.ops[method+" "+c.Path()]
		if !ok {
			return next(c)
		}
		if err := op.checkQuery(c); err != nil {
			return err
		}
		if err := op.checkAccept(c); err != nil {
			return err
		}
		return next(c)
	}
}

func (op operation) checkQuery(c echo.Context) error {
	var f problem.Fields
	for name, values := range c.QueryParams() {
		repeatable, known := op.query[name]
		switch {
		case !known:
			f.Add(name, "unknown_parameter", "is not a parameter of this operation"+op.knownParameters())
		case len(values) > 1 && !repeatable:
			f.Add(name, "repeated_parameter", "may be sent once")
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
	if accept == "" || len(op.produces) == 0 || c.QueryParam("format") != "" {
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

// Accepts reports whether an Accept header admits the media type mt
// (RFC 9110 §12.5.1: ranges such as */* and text/*, q=0 refuses). A
// header that cannot be read admits anything.
func Accepts(accept, mt string) bool {
	typ, _, _ := strings.Cut(mt, "/")
	readable := false
	for _, part := range strings.Split(accept, ",") {
		r, params, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil || !strings.Contains(r, "/") {
			continue
		}
		readable = true
		if q, ok := params["q"]; ok {
			if v, err := strconv.ParseFloat(q, 64); err == nil && v <= 0 {
				continue
			}
		}
		rt, rs, _ := strings.Cut(r, "/")
		if (rt == "*" && rs == "*") || (rt == typ && rs == "*") || strings.EqualFold(r, mt) {
			return true
		}
	}
	return !readable
}

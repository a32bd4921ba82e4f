package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/google/uuid"

	"github.com/samverkan/samverkan/api"
	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/geography"
)

// contractFuzzAllowed are failures of known causes, logged and not failing
// the test while their fix is under way: one operation, one status and a
// pattern of the cause each, as narrow as it can be, with why. None is known
// now (the overflowing amounts, NUL bytes, malformed ids and foreign keys it
// once held are fixed); the log names entries a run did not hit.
var contractFuzzAllowed = []struct {
	op     string // "METHOD /path" as in the contract
	status int
	cause  *regexp.Regexp // matched against the failure's cause
	why    string
}{}

// contractHost is where the test says the server is: the contract's server
// is the relative /api/v1, which a router cannot match a request against.
const contractHost = "http://samverkan.test"

func init() {
	for _, mt := range []string{"application/pdf", "application/vnd.oasis.opendocument.text", "image/jpeg", "image/png",
		"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} {
		openapi3filter.RegisterBodyDecoder(mt, openapi3filter.FileBodyDecoder)
	}
}

// fuzzOp is one operation of the contract.
type fuzzOp struct {
	id, method, path string // path as in the contract: /partnerships/{id}
	op               *openapi3.Operation
	params           []*openapi3.Parameter // path, query and header, sorted by name
	bodyType         string                // application/json, multipart/form-data or ""
	body             *openapi3.Schema
	bodyRequired     bool
	secured          bool
	okTypes          []string // media types of its 2xx answers
}

func (o *fuzzOp) String() string { return o.method + " " + o.path }

// fuzzCase is one request and what is known of it.
type fuzzCase struct {
	op      *fuzzOp
	caller  string
	path    string // the URL path, parameters filled
	query   []string
	headers []apptest.Header
	body    []byte
	fields  map[string]any // the JSON object sent, when it is one
	ctype   string
	invalid string // why the contract forbids the request; "" when it allows it
}

func (c *fuzzCase) url() string {
	u := contractHost + "/api/v1" + c.path
	if len(c.query) > 0 {
		u += "?" + strings.Join(c.query, "&")
	}
	return u
}

// repro is the request as one line.
func (c *fuzzCase) repro() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s as %s", c.op.method, strings.TrimPrefix(c.url(), contractHost), c.caller)
	for _, h := range c.headers {
		fmt.Fprintf(&b, " -H '%s: %s'", h.Name, h.Value)
	}
	if c.body != nil {
		body := string(c.body)
		if len(body) > 400 {
			body = body[:400] + fmt.Sprintf("…(%d bytes)", len(c.body))
		}
		fmt.Fprintf(&b, " -H 'Content-Type: %s' -d %q", c.ctype, body)
	}
	return b.String()
}

// contractOps reads every operation of the contract, in a stable order.
func contractOps(t testing.TB, doc *openapi3.T) []*fuzzOp {
	var ops []*fuzzOp
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			o := &fuzzOp{id: op.OperationID, method: method, path: path, op: op}
			for _, ps := range []openapi3.Parameters{item.Parameters, op.Parameters} {
				for _, p := range ps {
					o.params = append(o.params, p.Value)
				}
			}
			slices.SortFunc(o.params, func(a, b *openapi3.Parameter) int { return strings.Compare(a.In+a.Name, b.In+b.Name) })
			if rb := op.RequestBody; rb != nil && rb.Value != nil {
				o.bodyRequired = rb.Value.Required
				for _, mt := range []string{"application/json", "multipart/form-data"} {
					if c := rb.Value.Content.Get(mt); c != nil && c.Schema != nil {
						o.bodyType, o.body = mt, c.Schema.Value
						break
					}
				}
			}
			sec := op.Security
			if sec == nil {
				sec = &doc.Security
			}
			for _, req := range *sec {
				o.secured = len(req) > 0
				if !o.secured {
					break // one way in is anonymous
				}
			}
			for code, r := range op.Responses.Map() {
				if strings.HasPrefix(code, "2") && r.Value != nil {
					for mt := range r.Value.Content {
						o.okTypes = append(o.okTypes, mt)
					}
				}
			}
			slices.Sort(o.okTypes)
			ops = append(ops, o)
		}
	}
	slices.SortFunc(ops, func(a, b *fuzzOp) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	if len(ops) < 100 {
		t.Fatalf("only %d operations in the contract", len(ops))
	}
	return ops
}

// fuzzer generates requests from the contract with one seeded source.
type fuzzer struct {
	r     *rand.Rand
	ids   map[string]string // real ids, as theirWorld keys them, plus the shared resources'
	pool  []string          // every real id
	codes map[string]string // real values of string path parameters: "municipalities:code"
}

func (f *fuzzer) pick(xs ...string) string { return xs[f.r.Intn(len(xs))] }
func (f *fuzzer) chance(n int) bool        { return f.r.Intn(100) < n }

// pathKey is how theirWorld keys the id of a path's parameter.
func pathKey(segs []string, i int) string {
	name := strings.Trim(segs[i], "{}")
	if name == "id" || name == "code" || name == "list" {
		return segs[i-1] + ":" + name
	}
	return name
}

var (
	oddStrings = []string{"", "x", "Åsa Öberg – ”citat” och 🌍 ﷽", "  blanksteg runt  ", "a\u0301\u0308", "\u202eRTL\u202c", "<b>&amp;</b>",
		"' OR 1=1 --", "tab\tnewline\n", "😀😀😀😀😀😀😀😀", "ÅÄÖåäö", "0", "-1", "null", "true"}
	validDates    = []string{"2025-03-01", "2024-02-29", "1970-01-01", "1900-01-01", "0001-01-01", "9999-12-31", "2025-12-31", "2000-02-29"}
	invalidDates  = []string{"2025-02-30", "2025-13-01", "2023-02-29", "25-01-01", "2025-1-1", "", "idag", "2025-03-01T10:00:00Z", "20250301"}
	validTimes    = []string{"2025-03-01T10:00:00Z", "2024-02-29T23:59:59.999999+14:00", "1970-01-01T00:00:00Z", "9999-12-31T23:59:59-12:00", "2025-03-30T02:30:00+01:00"}
	invalidTimes  = []string{"2025-03-01 10:00", "2025-03-01", "2025-03-01T25:00:00Z", "", "igår", "2025-03-01T10:00:00"}
	invalidUUIDs  = []string{"not-a-uuid", "0", "1", "00000000-0000-0000-0000-00000000000g", "{00000000-0000-4000-8000-000000000000}", "ö", strings.Repeat("9", 300), "-1", "null"}
	invalidEmails = []string{"ingen-snabel-a", "@", "a@", "a b@example.se"}
	wrongTypeFor  = map[string][]any{"string": {1, true, []any{"x"}, map[string]any{}}, "integer": {"1", 1.5, true, []any{1}}, "number": {"1", true, map[string]any{}},
		"boolean": {"true", 0, "ja"}, "array": {"x", 1, map[string]any{}}, "object": {"x", 1, []any{}}}
)

// str is a string the schema allows, chosen from the odd ones.
func (f *fuzzer) str(name string, s *openapi3.Schema) string {
	switch s.Format {
	case "date":
		return f.pick(validDates...)
	case "date-time":
		return f.pick(validTimes...)
	case "uuid":
		return f.uuid(name)
	case "email":
		return f.pick("a@example.se", "åsa.öberg@exempel.se", strings.Repeat("a", 64)+"@example.se", "x+tag@sub.example.se")
	case "binary":
		return "x"
	}
	if ex, ok := s.Example.(string); ok && (s.Pattern != "" || f.chance(40)) {
		return ex
	}
	if strings.HasSuffix(name, "municipality_code") {
		return f.pick("1480", "1490", "0180", "9999")
	}
	if s.Pattern != "" {
		return ""
	}
	var v string
	switch n := f.r.Intn(10); {
	case n < 6:
		v = f.pick(oddStrings...)
	case n < 8: // the longest allowed
		l := 1000 + f.r.Intn(4000)
		if s.MaxLength != nil {
			l = int(*s.MaxLength)
		}
		v = strings.Repeat(f.pick("a", "ö", "😀"), l)
	default:
		v = strings.Repeat("x", f.r.Intn(40))
	}
	if n := []rune(v); s.MaxLength != nil && uint64(len(n)) > *s.MaxLength {
		v = string(n[:*s.MaxLength])
	}
	for uint64(len([]rune(v))) < s.MinLength {
		v += "x"
	}
	return v
}

// uuid is a real id (of the property's object when its name says which),
// or one no object has.
func (f *fuzzer) uuid(name string) string {
	switch n := f.r.Intn(10); {
	case n < 7:
		base := strings.TrimSuffix(strings.TrimSuffix(name, "_ids"), "_id")
		for _, k := range sortedKeys(f.ids) {
			res, _, _ := strings.Cut(k, ":")
			res = strings.ReplaceAll(strings.TrimSuffix(res, "s"), "-", "_")
			if base != "" && (strings.HasSuffix(base, res) || k == base+"_id") && f.chance(80) {
				return f.ids[k]
			}
		}
		return f.pick(f.pool...)
	case n < 8:
		return strings.ToUpper(f.pick(f.pool...))
	case n < 9:
		return "00000000-0000-0000-0000-000000000000"
	}
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte(strconv.Itoa(f.r.Int()))).String()
}

// integer is an integer the schema allows, from its bounds or the edges.
func (f *fuzzer) integer(s *openapi3.Schema) int64 {
	edges := []int64{0, 1, -1, 2, 100, math.MaxInt32, math.MaxInt32 + 1, math.MinInt32, 1 << 53, math.MaxInt64, math.MinInt64, 2025, 1e12}
	if s.Format == "int32" {
		edges = []int64{0, 1, -1, math.MaxInt32, math.MinInt32}
	}
	if s.Min != nil {
		edges = append(edges, int64(*s.Min), int64(*s.Min)+1)
	}
	if s.Max != nil {
		edges = append(edges, int64(*s.Max), int64(*s.Max)-1)
	}
	for range 20 {
		v := edges[f.r.Intn(len(edges))]
		if (s.Min == nil || float64(v) >= *s.Min) && (s.Max == nil || float64(v) <= *s.Max) {
			return v
		}
	}
	if s.Min != nil {
		return int64(*s.Min)
	}
	return int64(*s.Max)
}

// value is a value the schema allows.
func (f *fuzzer) value(name string, s *openapi3.Schema, depth int) any {
	if len(s.Enum) > 0 {
		return s.Enum[f.r.Intn(len(s.Enum))]
	}
	switch {
	case s.Type.Is("string"):
		return f.str(name, s)
	case s.Type.Is("integer"):
		return f.integer(s)
	case s.Type.Is("number"):
		if f.chance(50) {
			return f.integer(s)
		}
		v := f.r.NormFloat64() * 1e6
		if s.Min != nil && v < *s.Min || s.Max != nil && v > *s.Max {
			return f.integer(s)
		}
		return v
	case s.Type.Is("boolean"):
		return f.chance(50)
	case s.Type.Is("array"):
		n := f.r.Intn(3)
		if f.chance(5) {
			n = 60
		}
		if s.MaxItems != nil && uint64(n) > *s.MaxItems {
			n = int(*s.MaxItems)
		}
		if uint64(n) < s.MinItems {
			n = int(s.MinItems)
		}
		out := []any{}
		if s.Items == nil || s.Items.Value == nil || depth > 3 {
			return out
		}
		for range n {
			out = append(out, f.value(name, s.Items.Value, depth+1))
		}
		return out
	}
	return f.object(s, depth+1)
}

// object is an object the schema allows: every required property and each
// other one by chance.
func (f *fuzzer) object(s *openapi3.Schema, depth int) map[string]any {
	out := map[string]any{}
	if depth > 4 {
		return out
	}
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name].Value
		if p == nil || p.ReadOnly {
			continue
		}
		if slices.Contains(s.Required, name) || f.chance(70) {
			out[name] = f.value(name, p, depth)
		}
	}
	if ap := s.AdditionalProperties.Schema; ap != nil && ap.Value != nil {
		for i := range f.r.Intn(3) {
			out[f.pick("a", "ö", "trust", "k"+strconv.Itoa(i))] = f.value("", ap.Value, depth)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// queryValue is a parameter value the schema allows, as sent.
func (f *fuzzer) queryValue(name string, s *openapi3.Schema) string {
	switch v := f.value(name, s, 0).(type) {
	case string:
		if r := []rune(v); len(r) > 200 { // the address stays under the server's 8 KiB
			return string(r[:200])
		}
		return v
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = fmt.Sprint(x)
		}
		return strings.Join(parts, ",")
	default:
		return fmt.Sprint(v)
	}
}

// generate makes one request for op.
func (f *fuzzer) generate(op *fuzzOp, callers []string) *fuzzCase {
	c := &fuzzCase{op: op, caller: "admin"}
	if !f.chance(60) {
		c.caller = f.pick(callers...)
	}
	segs := strings.Split(op.path, "/")
	for i, s := range segs {
		if !strings.HasPrefix(s, "{") {
			continue
		}
		key := pathKey(segs, i)
		real, ok := f.ids[key]
		if !ok {
			real = f.codes[key]
		}
		if real == "" || f.chance(15) { // an object no one has
			real = f.pick(uuid.NewSHA1(uuid.NameSpaceOID, []byte(strconv.Itoa(f.r.Int()))).String(), "9999", "no_such_list")
			if p := f.param(op, "path", strings.Trim(s, "{}")); p != nil && p.Schema.Value.Format == "uuid" {
				real = uuid.NewSHA1(uuid.NameSpaceOID, []byte(strconv.Itoa(f.r.Int()))).String()
			}
		}
		segs[i] = url.PathEscape(real)
	}
	c.path = strings.Join(segs, "/")
	for _, p := range op.params {
		if p.In == "query" && (p.Required || f.chance(35)) {
			c.query = append(c.query, url.QueryEscape(p.Name)+"="+url.QueryEscape(f.queryValue(p.Name, p.Schema.Value)))
		}
		if p.In == "header" && (p.Required || f.chance(20)) {
			switch p.Name {
			case "If-Match":
				c.headers = append(c.headers, apptest.H(p.Name, f.pick("*", "*", "*", `"1"`, `"2"`, `W/"1"`, `"999999999999"`)))
			case "Idempotency-Key":
				c.headers = append(c.headers, apptest.H(p.Name, f.pick(uuid.NewSHA1(uuid.NameSpaceDNS, []byte(strconv.Itoa(f.r.Int()))).String(), "k", strings.Repeat("k", 200))))
			default:
				c.headers = append(c.headers, apptest.H(p.Name, f.queryValue(p.Name, p.Schema.Value)))
			}
		}
	}
	if len(op.okTypes) > 1 && f.chance(30) {
		c.headers = append(c.headers, apptest.H("Accept", f.pick(op.okTypes...)))
	} else if f.chance(5) {
		c.headers = append(c.headers, apptest.H("Accept", "*/*"))
	}
	switch op.bodyType {
	case "application/json":
		if op.bodyRequired || f.chance(80) {
			c.fields = f.object(op.body, 0)
			c.setJSON()
		}
	case "multipart/form-data":
		c.multipart(f, true)
	}
	if f.chance(35) {
		f.mutate(c)
	}
	return c
}

func (f *fuzzer) param(op *fuzzOp, in, name string) *openapi3.Parameter {
	for _, p := range op.params {
		if p.In == in && p.Name == name {
			return p
		}
	}
	return nil
}

func (c *fuzzCase) setJSON() {
	c.body, _ = json.Marshal(c.fields)
	c.ctype = "application/json"
}

// multipart builds the form: a file (when withFile) and the other fields.
func (c *fuzzCase) multipart(f *fuzzer, withFile bool) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.SetBoundary("fuzzboundary" + strconv.Itoa(f.r.Intn(1000)))
	for _, name := range sortedKeys(c.op.body.Properties) {
		p := c.op.body.Properties[name].Value
		if p.Format == "binary" {
			if !withFile {
				continue
			}
			file, content := f.pick("avtal.pdf", "data.csv", "tom.pdf", "bild.png", "ö ö.docx", "x"), []byte(nil)
			switch {
			case strings.HasSuffix(file, ".pdf") && file != "tom.pdf":
				content = []byte("%PDF-1.4\n%%EOF\n")
			case strings.HasSuffix(file, ".csv"):
				content = []byte("name;sector\nFöreningen;civil_society\n")
			case strings.HasSuffix(file, ".png"):
				content = []byte("\x89PNG\r\n\x1a\n")
			case file == "x":
				content = []byte(f.pick(oddStrings...))
			}
			fw, _ := mw.CreateFormFile(name, file)
			fw.Write(content) //nolint:errcheck
			continue
		}
		if f.chance(70) {
			mw.WriteField(name, fmt.Sprint(f.value(name, p, 0))) //nolint:errcheck
		}
	}
	mw.Close()
	c.body, c.ctype = buf.Bytes(), mw.FormDataContentType()
}

// mutate makes the case invalid in one way that applies to it.
func (f *fuzzer) mutate(c *fuzzCase) {
	op := c.op
	var ms []func() string
	for _, p := range op.params {
		s := p.Schema.Value
		switch p.In {
		case "path":
			if s.Format == "uuid" {
				ms = append(ms, func() string {
					segs := strings.Split(op.path, "/")
					cur := strings.Split(c.path, "/")
					for i := range segs {
						if segs[i] == "{"+p.Name+"}" {
							cur[i] = url.PathEscape(f.pick(invalidUUIDs...))
						}
					}
					c.path = strings.Join(cur, "/")
					return "path parameter " + p.Name + " not a uuid"
				})
			}
		case "query":
			set := func(v string) { c.query = append(c.query, url.QueryEscape(p.Name)+"="+url.QueryEscape(v)) }
			if wt := f.queryWrongType(s); wt != "" {
				ms = append(ms, func() string { set(wt); return "query " + p.Name + " of the wrong type" })
			}
			if len(s.Enum) > 0 {
				ms = append(ms, func() string { set("no_such_value"); return "query " + p.Name + " outside its enum" })
			}
			if s.Format == "uuid" || s.Format == "date" || s.Format == "date-time" {
				ms = append(ms, func() string { set(f.badFormat(s.Format)); return "query " + p.Name + " not a " + s.Format })
			}
			if s.Min != nil || s.Max != nil {
				ms = append(ms, func() string { set(f.outOfRange(s)); return "query " + p.Name + " out of range" })
			}
			ms = append(ms, func() string {
				v := url.QueryEscape(p.Name) + "=" + url.QueryEscape(f.queryValue(p.Name, s))
				c.query = append(c.query, v, v)
				return "query " + p.Name + " repeated"
			})
		case "header":
			if p.Required {
				ms = append(ms, func() string {
					c.headers = slices.DeleteFunc(c.headers, func(h apptest.Header) bool { return h.Name == p.Name })
					return "required header " + p.Name + " missing"
				})
			}
		}
	}
	if op.method == "GET" || f.chance(20) {
		ms = append(ms, func() string {
			c.query = append(c.query, f.pick("zz_unknown=1", "limit_=1", "%C3%B6=%C3%B6", "Status=active"))
			return "unknown query parameter"
		})
	}
	if op.secured {
		ms = append(ms, func() string { c.caller = "anonymous"; return "no credentials" })
	}
	if op.bodyType == "application/json" {
		ms = append(ms, f.bodyMutations(c)...)
	}
	if op.bodyType == "multipart/form-data" {
		ms = append(ms, func() string { c.multipart(f, false); return "multipart without its required file" })
		ms = append(ms, func() string { c.ctype = "multipart/form-data; boundary=other"; return "broken multipart" })
	}
	if len(ms) == 0 {
		return
	}
	c.invalid = ms[f.r.Intn(len(ms))]()
}

func (f *fuzzer) queryWrongType(s *openapi3.Schema) string {
	switch {
	case s.Type.Is("integer"):
		return f.pick("abc", "1.5", "1e3", "", "99999999999999999999999", "0x10")
	case s.Type.Is("number"):
		return f.pick("abc", "", "NaN-x")
	case s.Type.Is("boolean"):
		return f.pick("ja", "2", "yes-please")
	}
	return ""
}

func (f *fuzzer) badFormat(format string) string {
	switch format {
	case "date":
		return f.pick(invalidDates...)
	case "date-time":
		return f.pick(invalidTimes...)
	case "email":
		return f.pick(invalidEmails...)
	}
	return f.pick(invalidUUIDs...)
}

func (f *fuzzer) outOfRange(s *openapi3.Schema) string {
	if s.Min != nil && (s.Max == nil || f.chance(50)) {
		return strconv.FormatFloat(*s.Min-1, 'f', -1, 64)
	}
	return strconv.FormatFloat(*s.Max+1, 'f', -1, 64)
}

// bodyMutations are the ways to break a JSON body.
func (f *fuzzer) bodyMutations(c *fuzzCase) []func() string {
	s := c.op.body
	var ms []func() string
	ms = append(ms, func() string {
		valid, _ := json.Marshal(c.fields)
		broken := []string{`{"a":`, `{`, `[`, `nul`, `{"x":1,}`, `{}{}`, `{'a':1}`, "\xff\xfe", `{"a":1`, string(valid[:len(valid)/2])}
		c.body, c.ctype, c.fields = []byte(f.pick(broken...)), "application/json", nil
		return "broken JSON"
	})
	ms = append(ms, func() string {
		c.body, c.ctype, c.fields = []byte(f.pick(`[]`, `"x"`, `1`, `null`, `true`)), "application/json", nil
		return "non-object JSON body"
	})
	if c.fields == nil {
		if c.op.bodyRequired {
			ms = append(ms, func() string { c.body, c.ctype = nil, ""; return "required body missing" })
		}
		return ms
	}
	for _, name := range sortedKeys(s.Properties) {
		p := s.Properties[name].Value
		if p == nil || p.ReadOnly {
			continue
		}
		set := func(v any) { c.fields[name] = v; c.setJSON() }
		typ := ""
		for _, t := range []string{"string", "integer", "number", "boolean", "array", "object"} {
			if p.Type.Is(t) {
				typ = t
			}
		}
		if wrong := wrongTypeFor[typ]; len(wrong) > 0 {
			ms = append(ms, func() string { set(wrong[f.r.Intn(len(wrong))]); return "body " + name + " of the wrong type" })
		}
		if !p.Nullable {
			ms = append(ms, func() string { set(nil); return "body " + name + " null" })
		}
		if len(p.Enum) > 0 {
			ms = append(ms, func() string { set("no_such_value"); return "body " + name + " outside its enum" })
		}
		if p.Format == "uuid" || p.Format == "date" || p.Format == "date-time" || p.Format == "email" {
			ms = append(ms, func() string { set(f.badFormat(p.Format)); return "body " + name + " not a " + p.Format })
		}
		if typ == "string" && len(p.Enum) == 0 {
			ms = append(ms, func() string {
				set(f.pick("nul\x00byte", "\x00", "ok\x00"))
				return "body " + name + " with a NUL (refused, says the contract's 400)"
			})
		}
		if p.MaxLength != nil {
			ms = append(ms, func() string {
				set(strings.Repeat("ö", int(*p.MaxLength)+1))
				return "body " + name + " longer than maxLength"
			})
		}
		if p.MinLength > 0 {
			ms = append(ms, func() string {
				set(strings.Repeat("ö", int(p.MinLength)-1))
				return "body " + name + " shorter than minLength"
			})
		}
		if (typ == "integer" || typ == "number") && (p.Min != nil || p.Max != nil) {
			ms = append(ms, func() string {
				v, _ := strconv.ParseFloat(f.outOfRange(p), 64)
				set(v)
				return "body " + name + " out of range"
			})
		}
		if slices.Contains(s.Required, name) {
			ms = append(ms, func() string { delete(c.fields, name); c.setJSON(); return "body without required " + name })
		}
	}
	if len(s.Required) > 0 {
		ms = append(ms, func() string {
			c.fields = map[string]any{}
			c.setJSON()
			return "empty object, " + strings.Join(s.Required, ", ") + " required"
		})
	}
	return ms
}

// fuzzFailure is one kind of failure: an operation, a status and a cause.
type fuzzFailure struct {
	op     *fuzzOp
	status int
	cause  string
	count  int
	repro  string
	answer string
}

// checker sends cases and judges their answers against the contract.
type checker struct {
	t        *testing.T
	env      *apptest.Env
	router   routers.Router
	tokens   map[string]string
	failures map[string]*fuzzFailure
	order    []string
	sent     int
	statuses map[int]int
	shrunk   map[string]bool
}

func (k *checker) send(c *fuzzCase) (apptest.Response, *http.Request) {
	k.sent++
	var rd io.Reader
	if c.body != nil {
		rd = bytes.NewReader(c.body)
	}
	req := httptest.NewRequest(c.op.method, c.url(), rd)
	if c.ctype != "" {
		req.Header.Set("Content-Type", c.ctype)
	}
	if tok := k.tokens[c.caller]; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for _, h := range c.headers {
		req.Header.Set(h.Name, h.Value)
	}
	rec := httptest.NewRecorder()
	k.env.App.Server.Echo.ServeHTTP(rec, req)
	k.statuses[rec.Code]++
	return apptest.Response{Code: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, req
}

// causeClass takes the names out of a cause, to group causes by kind.
var causeClass = regexp.MustCompile(`(body|query|parameter|required) [a-z_]+ `)

var numbers = regexp.MustCompile(`/[0-9]+(/|$)`)

// judge returns why the answer breaks the contract, or "".
func (k *checker) judge(c *fuzzCase, res apptest.Response, req *http.Request) string {
	if res.Code >= 500 {
		var p struct{ Code, Detail string }
		json.Unmarshal(res.Body, &p) //nolint:errcheck
		return "server error " + p.Code
	}
	route, params, err := k.router.FindRoute(req)
	if err != nil {
		k.t.Fatalf("the fuzzer sent a request the contract has no route for: %s: %v", c.repro(), err)
	}
	if route.Operation != c.op.op {
		k.t.Fatalf("%s routed to %s %s", c.repro(), route.Method, route.Path)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route},
		Status:                 res.Code,
		Header:                 res.Header,
		Body:                   io.NopCloser(bytes.NewReader(res.Body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: false},
	}
	if err := openapi3filter.ValidateResponse(context.Background(), in); err != nil {
		var se *openapi3.SchemaError
		var re *openapi3filter.ResponseError
		switch {
		case errors.As(err, &se):
			ptr := numbers.ReplaceAllString("/"+strings.Join(se.JSONPointer(), "/"), "/*$1")
			reason := se.Reason
			if len(reason) > 120 {
				reason = reason[:120]
			}
			return "body at " + ptr + ": " + reason
		case errors.As(err, &re):
			reason := re.Reason
			if re.Err != nil && !strings.Contains(reason, re.Err.Error()) {
				reason += ": " + re.Err.Error()
			}
			return "answer not in the contract: " + reason
		}
		return "answer not in the contract: " + err.Error()
	}
	if c.invalid != "" && res.Code < 300 {
		return "accepted though invalid: " + c.invalid
	}
	return ""
}

// run sends the case; on a server error it takes away body fields and
// query parameters while the error stays, so that the report names them.
func (k *checker) run(c *fuzzCase, shrinkBudget *int) {
	res, req := k.send(c)
	cause := k.judge(c, res, req)
	if cause == "" {
		return
	}
	if res.Code >= 500 {
		what := "valid request"
		if c.invalid != "" {
			what = c.invalid
		}
		if c.invalid == "" {
			pre := c.op.String() + " " + strconv.Itoa(res.Code) + " " + strings.Join(sortedKeys(c.fields), ",")
			if !k.shrunk[pre] && *shrinkBudget > 0 {
				k.shrunk[pre] = true
				k.shrink(c, res.Code, shrinkBudget)
			}
			if c.fields != nil {
				what += ", body fields " + strings.Join(sortedKeys(c.fields), ",")
			}
		}
		if header := k.guiltyHeader(c); header != "" {
			what = "header " + header
		}
		cause += " on " + what
	}
	key := c.op.String() + "|" + strconv.Itoa(res.Code) + "|" + cause
	if fl, ok := k.failures[key]; ok {
		fl.count++
		return
	}
	ans := string(res.Body)
	if len(ans) > 200 {
		ans = ans[:200] + "…"
	}
	k.failures[key] = &fuzzFailure{op: c.op, status: res.Code, cause: cause, count: 1, repro: c.repro(), answer: ans}
	k.order = append(k.order, key)
}

// guiltyHeader names the header whose value the error follows: with a
// plain value instead (If-Match: "1") or without it, the answer is no 5xx.
func (k *checker) guiltyHeader(c *fuzzCase) string {
	for i, h := range c.headers {
		if h.Value == "*" || h.Value == `"1"` {
			continue
		}
		plain := slices.Clone(c.headers)
		if h.Name == "If-Match" {
			plain[i].Value = `"1"`
		} else {
			plain = slices.Delete(plain, i, i+1)
		}
		d := *c
		d.headers = plain
		if res, _ := k.send(&d); res.Code < 500 {
			return h.Name + ": " + h.Value
		}
	}
	return ""
}

func (k *checker) shrink(c *fuzzCase, status int, budget *int) {
	for _, name := range sortedKeys(c.fields) {
		if *budget <= 0 {
			return
		}
		*budget--
		v := c.fields[name]
		delete(c.fields, name)
		c.setJSON()
		if res, _ := k.send(c); res.Code != status {
			c.fields[name] = v
			c.setJSON()
		}
	}
	for i := len(c.query) - 1; i >= 0 && *budget > 0; i-- {
		*budget--
		q := c.query
		c.query = slices.Delete(slices.Clone(q), i, i+1)
		if res, _ := k.send(c); res.Code != status {
			c.query = q
		}
	}
}

// contractFuzzSettings: SAMVERKAN_CONTRACT_FUZZ=long sends many more
// requests (make reliability); SAMVERKAN_CONTRACT_FUZZ_SEED and
// SAMVERKAN_CONTRACT_FUZZ_REQUESTS choose the seed and the number.
func contractFuzzSettings(t *testing.T) (seed int64, requests int) {
	seed, requests = 20250301, 24000
	if raceEnabled {
		requests = 12000 // the race detector makes each request several times slower
	}
	if os.Getenv("SAMVERKAN_CONTRACT_FUZZ") == "long" {
		requests *= 20
	}
	if v := os.Getenv("SAMVERKAN_CONTRACT_FUZZ_SEED"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			t.Fatalf("SAMVERKAN_CONTRACT_FUZZ_SEED: %v", err)
		}
		seed = n
	}
	if v := os.Getenv("SAMVERKAN_CONTRACT_FUZZ_REQUESTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			t.Fatalf("SAMVERKAN_CONTRACT_FUZZ_REQUESTS: %v", err)
		}
		requests = n
	}
	return seed, requests
}

// TestContractFuzz sends requests made from the contract (api/openapi.json)
// to every operation: valid ones with edge values (empty, longest, unicode,
// bounds, odd dates) and, a third of the time, one made invalid in one way
// (wrong type, enum miss, missing required, broken JSON, malformed id,
// unknown or repeated parameter, no credentials); at the objects of one of
// everything and at unknown ones; as an administrator and as less
// privileged callers. kin-openapi, not the server, judges each answer: no
// 5xx, no status or body the contract does not describe, no 2xx for a
// request the contract forbids.
func TestContractFuzz(t *testing.T) {
	seed, requests := contractFuzzSettings(t)
	doc, err := openapi3.NewLoader().LoadFromData(api.JSON())
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: contractHost + "/api/v1"}}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	ops := contractOps(t, doc)

	// Its own database: the fuzzer changes shared objects (municipalities,
	// districts, code lists) other tests count on.
	env := apptest.Isolated(t)
	ctx := env.Context()
	for _, m := range []geography.NewMunicipalityRequest{{Code: "1480", Name: "Göteborg", CountyCode: "14"}, {Code: "1490", Name: "Borås", CountyCode: "14"}} {
		if _, err := env.App.Geo.CreateMunicipality(ctx, auth.System.Actor(), m); err != nil {
			t.Fatal(err)
		}
	}
	env.Districts = map[string]string{}
	for _, name := range []string{"Angered", "Lundby", "Västra Göteborg"} {
		d, err := env.App.Geo.CreateDistrict(ctx, auth.System.Actor(), geography.NewDistrictRequest{MunicipalityCode: "1480", Name: name})
		if err != nil {
			t.Fatal(err)
		}
		env.Districts[name] = d.ID
	}
	w := theirWorld(t, env)
	ids := map[string]string{"districts:id": env.Districts["Angered"]}
	for k, v := range w.ids {
		ids[k] = v
	}
	for key, table := range map[string]string{"funding-sources:id": "funding_sources", "rules:id": "rules", "delivery_id": "webhook_deliveries",
		"indicator-definitions:id": "indicator_definitions"} {
		var id string
		env.Owner().Raw("SELECT id::text FROM " + table + " ORDER BY created_at LIMIT 1").Scan(&id)
		if id != "" {
			ids[key] = id
		} else {
			delete(ids, key)
		}
	}
	codes := map[string]string{"municipalities:code": "1480", "code-lists:list": "target_groups"}
	var code string
	env.Owner().Raw("SELECT code FROM code_list_entries WHERE list = 'target_groups' ORDER BY code LIMIT 1").Scan(&code)
	codes["entries:code"] = code
	f := &fuzzer{r: rand.New(rand.NewSource(seed)), ids: ids, codes: codes}
	for _, k := range sortedKeys(ids) {
		f.pool = append(f.pool, ids[k])
	}

	_, admin := env.NewUser(auth.RoleAdmin)
	_, editor := env.NewUser(auth.RoleEditor)
	_, districtEditor := env.NewUser(auth.RoleDistrictEditor, apptest.InDistricts(env.Districts["Västra Göteborg"]))
	_, reporter := env.NewUser(auth.RoleReporter, apptest.ForOrganisation(ids["organisations:id"]))
	_, viewer := env.NewUser(auth.RoleViewer)
	_, _, reader := env.NewClient([]string{auth.ScopePartnershipsRead, auth.ScopeReportsRead})
	tokens := map[string]string{"admin": admin, "editor": editor, "district editor": districtEditor, "reporter": reporter, "viewer": viewer,
		"read-only client": reader, "anonymous": ""}
	callers := []string{"editor", "district editor", "reporter", "viewer", "read-only client", "anonymous"}

	k := &checker{t: t, env: env, router: router, tokens: tokens, failures: map[string]*fuzzFailure{}, statuses: map[int]int{}, shrunk: map[string]bool{}}
	shrinkBudget := requests / 10
	// Deletes go last, so that the objects stay for everything else.
	var rest, deletes []*fuzzOp
	for _, op := range ops {
		if op.method == "DELETE" {
			deletes = append(deletes, op)
		} else {
			rest = append(rest, op)
		}
	}
	started := time.Now()
	perDelete := max(2, requests/len(ops))
	for i := 0; i < requests-perDelete*len(deletes); i++ {
		k.run(f.generate(rest[i%len(rest)], callers), &shrinkBudget)
	}
	for _, op := range deletes {
		for range perDelete {
			k.run(f.generate(op, callers), &shrinkBudget)
		}
	}
	took := time.Since(started)
	t.Logf("seed %d: %d requests to %d operations in %s (%.0f/s); statuses %v", seed, k.sent, len(ops), took.Round(time.Millisecond),
		float64(k.sent)/took.Seconds(), k.statuses)

	hit := map[int]bool{}
	var failed, allowed []*fuzzFailure
	for _, key := range k.order {
		fl := k.failures[key]
		ok := false
		for i, a := range contractFuzzAllowed {
			if a.op == fl.op.String() && a.status == fl.status && a.cause.MatchString(fl.cause) {
				ok, hit[i] = true, true
				break
			}
		}
		if ok {
			allowed = append(allowed, fl)
		} else {
			failed = append(failed, fl)
		}
	}
	for _, fl := range allowed {
		t.Logf("allowed: %s %s → %d: %s (×%d)", fl.op.id, fl.op, fl.status, fl.cause, fl.count)
	}
	for i, a := range contractFuzzAllowed {
		if !hit[i] {
			t.Logf("allow-list entry not hit in this run: %s %d %s", a.op, a.status, a.cause)
		}
	}
	for i, fl := range failed {
		if i == 50 {
			t.Errorf("… and %d more", len(failed)-50)
			break
		}
		t.Errorf("%s %s → %d: %s (×%d)\n\trepro: %s\n\tanswer: %s", fl.op.id, fl.op, fl.status, fl.cause, fl.count, fl.repro, fl.answer)
	}
	classes := map[string][]string{}
	for _, fl := range failed {
		cl := strconv.Itoa(fl.status) + " " + causeClass.ReplaceAllString(fl.cause, "$1 <name> ")
		cl, _, _ = strings.Cut(cl, ", body fields")
		classes[cl] = append(classes[cl], fl.op.id)
	}
	for _, cl := range sortedKeys(classes) {
		t.Logf("cause %s: %d operations (%s)", cl, len(classes[cl]), strings.Join(classes[cl], ", "))
	}
	if len(failed) > 0 {
		t.Logf("%d kinds of failure (seed %d; SAMVERKAN_CONTRACT_FUZZ_SEED=%d reproduces the run)", len(failed), seed, seed)
	}
}

package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Decode reads a JSON request body into dst strictly: it must be sent as
// application/json (or a +json type; without a Content-Type it is 415), be valid
// UTF-8, one JSON object, with no field dst does not know. Type errors name the
// field.
func Decode(c echo.Context, dst any) error {
	mt, _, err := mime.ParseMediaType(c.Request().Header.Get(echo.HeaderContentType))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return problem.New(http.StatusUnsupportedMediaType, "unsupported_media_type", "send the body as application/json, and say so in Content-Type")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		return problem.BadRequest("unreadable_body", "the request body could not be read")
	}
	return DecodeBytes(body, dst)
}

// DecodeBytes is Decode for a body already read. A string holding NUL
// (\u0000), which PostgreSQL text cannot store, is refused like invalid
// UTF-8: 400 invalid_characters naming the field.
func DecodeBytes(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return problem.BadRequest("empty_body", "the request needs a JSON object as its body")
	}
	if !utf8.Valid(body) {
		return problem.BadRequest("invalid_utf8", "the request body is not valid UTF-8")
	}
	if bytes.TrimSpace(body)[0] != '{' {
		return problem.BadRequest("malformed_json", "the body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return problem.BadRequest("malformed_json", "the body must hold exactly one JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return problem.BadRequest("malformed_json", "the body must hold exactly one JSON object")
	}
	if err := refuseLongArrays(body); err != nil {
		return err
	}
	return refuseNUL(body)
}

// MaxArrayItems is the most elements an array field of a body may have, as
// the contract declares (api/gen's maxArrayItems).
const MaxArrayItems = 1000

// refuseLongArrays refuses a field holding more than MaxArrayItems
// elements. Only a body with that many commas is decoded a second time.
func refuseLongArrays(body []byte) error {
	if bytes.Count(body, []byte(",")) < MaxArrayItems {
		return nil
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(body, &fields); err != nil {
		return nil
	}
	var f problem.Fields
	for name, v := range fields {
		var items []json.RawMessage
		if len(v) > 0 && v[0] == '[' && json.Unmarshal(v, &items) == nil && len(items) > MaxArrayItems {
			f.Add(name, "too_many", fmt.Sprintf("may hold at most %d elements", MaxArrayItems))
		}
	}
	return f.Err()
}

// refuseNUL finds the strings of a valid JSON body that hold NUL. Only a
// body with the escape in it is decoded a second time.
func refuseNUL(body []byte) error {
	if !bytes.Contains(body, []byte(`\u0000`)) {
		return nil
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil // already decoded once; cannot happen
	}
	var f problem.Fields
	nulIn(&f, "", v)
	return f.BadRequest("invalid_characters")
}

// nulIn adds a field error for every string under v, keys included, that
// holds NUL; path is v's place in the body (parties[0].name).
func nulIn(f *problem.Fields, path string, v any) {
	const msg = "must not contain NUL (\\u0000)"
	switch v := v.(type) {
	case string:
		if strings.ContainsRune(v, 0) {
			f.Add(path, "invalid_characters", msg)
		}
	case []any:
		for i, e := range v {
			nulIn(f, fmt.Sprintf("%s[%d]", path, i), e)
		}
	case map[string]any:
		for k, e := range v {
			name := k
			if path != "" {
				name = path + "." + k
			}
			if strings.ContainsRune(k, 0) {
				f.Add(printable(name), "invalid_characters", msg)
				continue
			}
			nulIn(f, name, e)
		}
	}
}

func jsonProblem(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return problem.BadRequest("malformed_json", "the body is not valid JSON (at byte %d)", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return problem.BadRequest("malformed_json", "the body must be a JSON object")
		}
		var f problem.Fields
		kind := typ.Type.Kind().String()
		if n, isNumber := strings.CutPrefix(typ.Value, "number "); isNumber && strings.HasPrefix(kind, "int") {
			// A number, but not one an integer field holds: 1e3, 1.5, or past int64.
			if v, err := strconv.ParseFloat(n, 64); err == nil && v == math.Trunc(v) && !strings.ContainsAny(n, ".eE") {
				f.Add(field, "out_of_range", "is too large")
			} else {
				f.Add(field, "wrong_type", "must be a whole number written with digits only, such as 1000")
			}
			return f.BadRequest("wrong_type")
		}
		f.Add(field, "wrong_type", fmt.Sprintf("must be %s", jsonTypeName(kind)))
		return f.BadRequest("wrong_type")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		var f problem.Fields
		f.Add(name, "unknown_field", "is not a field of this resource")
		return f.BadRequest("unknown_field")
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem.BadRequest("malformed_json", "the body ends too early")
	}
	return problem.BadRequest("malformed_json", "the body is not valid JSON")
}

func jsonTypeName(kind string) string {
	switch kind {
	case "string":
		return "a string"
	case "bool":
		return "true or false"
	case "slice", "array":
		return "an array"
	case "struct", "map", "ptr":
		return "an object"
	case "int", "int32", "int64", "uint", "uint32", "uint64", "float64":
		return "a number"
	}
	return "of another type"
}

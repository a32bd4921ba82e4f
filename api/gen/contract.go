package main

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// What swag's annotations cannot say, or would say in hundreds of repeated
// lines, is completed here, the same way for every operation: where the API
// lives, the errors any request may meet, and the media types of answers
// that are not JSON. ADR 0011 explains the choice.

// tagDescriptions describe each group of operations; every tag an
// operation uses must be here.
var tagDescriptions = map[string]string{
	"auth":          "Access tokens (OAuth 2.0 password, client-credentials and refresh-token grants) and the signed-in user.",
	"users":         "Staff and reporter accounts: roles, districts and the organisation a reporter reports for.",
	"api-clients":   "Machine clients of district administrations and report scripts, with scopes, districts and rate limits.",
	"tenants":       "The municipalities and regions (huvudmän) this deployment serves: the platform operator creates them; every signed-in caller reads their own.",
	"geography":     "Municipalities (by kommunkod) and their districts.",
	"code-lists":    "The fixed and extendable code lists: target groups, policy goals, forms, statuses and the rest.",
	"organisations": "The organisations the municipality works with, one per organisationsnummer.",
	"contacts":      "Contact persons of an organisation (personal data: erasable).",
	"partnerships":  "IOPs, grants, procurements, agreements and EU projects: their classification, status over time and history.",
	"parties":       "Who takes part in a partnership, and from when to when.",
	"commitments":   "What each party commits and delivers, in money, time or kind.",
	"funding":       "Funding sources, allocations, disbursements, double-funding warnings and state aid.",
	"rules":         "State-aid rules (de minimis, SGEI) and exchange rates.",
	"evaluation":    "Indicators, targets, measurements, follow-ups, evaluations, assessments and lessons.",
	"documents":     "Files attached to partnerships and evaluations.",
	"reports":       "Reports for committees and analysts, as JSON, CSV or XLSX.",
	"action-plans":  "Action plans and their activities, followed up against the partnership portfolio.",
	"meetings":      "Dialogue meetings and the actions they agree.",
	"matching":      "Matching rounds: needs and offers, proposals and the partnerships they found.",
	"notifications": "Reminders for the signed-in user and how they are delivered.",
	"webhooks":      "Change notifications pushed to other systems, with their deliveries.",
	"sync":          "The change feed, for keeping another system in step.",
	"audit":         "The audit trail: who changed what, when.",
	"imports":       "Bulk import of organisations, partnerships, allocations and measurements from CSV or XLSX.",
	"open-data":     "Grants published as open data in the 360Giving standard.",
}

// standard are the error answers shared by the operations, as
// components/responses.
var standard = map[int]struct{ name, description string }{
	http.StatusBadRequest:                  {"BadRequest", "The request cannot be read: malformed JSON, a query parameter that is unknown, repeated or malformed, or characters that are not allowed (NUL, invalid UTF-8)."},
	http.StatusUnauthorized:                {"Unauthorized", "No valid access token was sent."},
	http.StatusForbidden:                   {"Forbidden", "The caller's role or scopes do not allow this."},
	http.StatusNotFound:                    {"NotFound", "No such resource, or not one the caller may see."},
	http.StatusNotAcceptable:               {"NotAcceptable", "None of the media types in Accept can be served by this operation."},
	http.StatusConflict:                    {"Conflict", "The request collides with the current state (a duplicate, a transition not allowed, a key being processed)."},
	http.StatusPreconditionFailed:          {"PreconditionFailed", "If-Match does not name the current version: read the resource again."},
	http.StatusRequestEntityTooLarge:       {"PayloadTooLarge", "The body is larger than the server accepts."},
	http.StatusUnsupportedMediaType:        {"UnsupportedMediaType", "The body is not sent as a media type this operation reads (application/json unless stated)."},
	http.StatusRequestURITooLong:           {"URITooLong", "The address is longer than 8 KiB: send fewer or shorter query parameters."},
	http.StatusRequestHeaderFieldsTooLarge: {"HeaderFieldsTooLarge", "The header fields are larger than 64 KiB in all."},
	http.StatusUnprocessableEntity:         {"UnprocessableEntity", "The body is well-formed but breaks a rule; `errors` names each field."},
	http.StatusPreconditionRequired:        {"PreconditionRequired", "Send If-Match with the ETag you read."},
	http.StatusTooManyRequests:             {"TooManyRequests", "Past the caller's rate limit; retry after Retry-After seconds."},
	http.StatusInternalServerError:         {"InternalServerError", "A fault on the server's side; the request_id helps find it."},
	http.StatusServiceUnavailable:          {"ServiceUnavailable", "The database cannot be reached just now, or the request took too long; retry after Retry-After seconds."},
}

// binaryTypes are answers that are files, not text.
var binaryTypes = []string{
	"application/pdf", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.oasis.opendocument.text",
	"image/png", "image/jpeg",
}

func complete(doc *openapi3.T) error {
	doc.Servers = openapi3.Servers{{URL: "/api/v1", Description: "The server that serves this document (production, staging or local alike).",
		Extensions: map[string]any{"x-internal": false}}}
	doc.Info.Contact.URL = "https://github.com/samverkan/samverkan"
	doc.Info.Contact.Email = "api@samverkan.se"
	doc.Info.License.URL = "https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12"
	if err := describeTags(doc); err != nil {
		return err
	}
	problemSchema(doc)
	jsonNames(doc)
	standardResponses(doc)
	closeRequestSchemas(doc)
	limitInputs(doc)
	bodyFields(doc)
	patchSchemas(doc)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.OperationID == "" {
				return fmt.Errorf("%s %s has no operationId: add an @ID annotation", method, path)
			}
			if op.Description == "" {
				op.Description = op.Summary + "."
			}
			answers(doc, op, method)
			parameterLimits(op)
			errorsOf(doc, op, method, path)
			limited(doc, op)
		}
	}
	return nil
}

func describeTags(doc *openapi3.T) error {
	used := map[string]bool{}
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			for _, t := range op.Tags {
				used[t] = true
			}
		}
	}
	doc.Tags = nil
	for t := range used {
		d, ok := tagDescriptions[t]
		if !ok {
			return fmt.Errorf("tag %q has no description in api/gen", t)
		}
		doc.Tags = append(doc.Tags, &openapi3.Tag{Name: t, Description: d})
	}
	sort.Slice(doc.Tags, func(i, j int) bool { return doc.Tags[i].Name < doc.Tags[j].Name })
	return nil
}

// problemSchema is RFC 9457's problem details with Samverkan's code.
func problemSchema(doc *openapi3.T) {
	p := doc.Components.Schemas["Problem"].Value
	p.Required = []string{"type", "title", "status", "code"}
	p.Description = "An RFC 9457 problem: `code` is stable and machine-readable, `detail` is for people, `errors` names each field that failed."
}

func standardResponses(doc *openapi3.T) {
	if doc.Components.Responses == nil {
		doc.Components.Responses = openapi3.ResponseBodies{}
	}
	if doc.Components.Headers == nil {
		doc.Components.Headers = openapi3.Headers{}
	}
	rateLimitHeaders(doc)
	answerHeaders(doc)
	doc.Components.Headers["Retry-After"] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
		Description: "Seconds to wait before retrying.",
		Schema:      openapi3.NewInt32Schema().WithMin(1).WithMax(86400).NewRef(),
	}}}
	for status, s := range standard {
		r := openapi3.NewResponse().WithDescription(s.description).
			WithContent(openapi3.Content{"application/problem+json": openapi3.NewMediaType().WithSchemaRef(&openapi3.SchemaRef{Ref: "#/components/schemas/Problem", Value: doc.Components.Schemas["Problem"].Value})})
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			r.Headers = openapi3.Headers{"Retry-After": &openapi3.HeaderRef{Ref: "#/components/headers/Retry-After", Value: doc.Components.Headers["Retry-After"].Value}}
		}
		if status < 500 {
			withRateLimit(doc, r)
		}
		doc.Components.Responses[s.name] = &openapi3.ResponseRef{Value: r}
	}
}

// answers gives file answers a binary string schema and CSV a text one,
// instead of the JSON schema swag copies to every media type.
// It also declares the headers of successful answers: an ETag on every
// JSON answer (web.ContentETag, web.SetETag), Location on 201, and
// Content-Disposition on files; and 304 for a GET answered by JSON, which
// If-None-Match with its ETag gets while the answer is the same.
func answers(doc *openapi3.T, op *openapi3.Operation, method string) {
	json := false
	for code, r := range op.Responses.Map() {
		if !strings.HasPrefix(code, "2") || r.Value == nil {
			continue
		}
		file := false
		for mt, m := range r.Value.Content {
			switch {
			case mt == "application/json":
				json = true
			case mt == "text/csv":
				m.Schema = openapi3.NewStringSchema().NewRef()
				m.Schema.Value.Description = "UTF-8 CSV with a header row."
				file = true
			case slices.Contains(binaryTypes, mt):
				m.Schema = openapi3.NewStringSchema().WithFormat("binary").NewRef()
				file = true
			}
		}
		if r.Value.Headers == nil {
			r.Value.Headers = openapi3.Headers{}
		}
		if _, ok := r.Value.Content["application/json"]; ok {
			r.Value.Headers["ETag"] = headerRef(doc, "ETag")
		}
		if code == "201" {
			r.Value.Headers["Location"] = headerRef(doc, "Location")
		}
		if file {
			r.Value.Headers["Content-Disposition"] = headerRef(doc, "Content-Disposition")
		}
	}
	if method == http.MethodGet && json {
		op.Parameters = append(op.Parameters, &openapi3.ParameterRef{Ref: "#/components/parameters/If-None-Match",
			Value: doc.Components.Parameters["If-None-Match"].Value})
		op.Responses.Set("304", &openapi3.ResponseRef{Ref: "#/components/responses/NotModified", Value: doc.Components.Responses["NotModified"].Value})
	}
}

func headerRef(doc *openapi3.T, name string) *openapi3.HeaderRef {
	return &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: doc.Components.Headers[name].Value}
}

// answerHeaders are the components answers refer to.
func answerHeaders(doc *openapi3.T) {
	for name, d := range map[string]string{
		"ETag": "The answer's entity tag. For an object, \"<version>-<hash>\" when read and \"<version>\" when written: " +
			"If-Match reads only the version. For a list, the hash of the answer.",
		"Location":            "Where the resource made can be read.",
		"Content-Disposition": "attachment, with the file's name.",
	} {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: d, Schema: openapi3.NewStringSchema().WithMaxLength(500).NewRef()}}}
	}
	if doc.Components.Parameters == nil {
		doc.Components.Parameters = openapi3.ParametersMap{}
	}
	doc.Components.Parameters["If-None-Match"] = &openapi3.ParameterRef{Value: &openapi3.Parameter{
		Name: "If-None-Match", In: "header",
		Description: "The ETag of an answer you hold: 304 without a body while the answer is the same.",
		Schema:      openapi3.NewStringSchema().WithMaxLength(1000).NewRef(),
	}}
	notModified := openapi3.NewResponse().WithDescription("The answer is the one whose ETag you sent in If-None-Match.")
	notModified.Headers = openapi3.Headers{"ETag": headerRef(doc, "ETag")}
	doc.Components.Responses["NotModified"] = &openapi3.ResponseRef{Value: notModified}
}

// errorsOf points every error answer at the shared problem+json responses,
// and adds those any request may meet.
func errorsOf(doc *openapi3.T, op *openapi3.Operation, method, path string) {
	add := func(status int) {
		if s, ok := standard[status]; ok {
			op.Responses.Set(strconv.Itoa(status), &openapi3.ResponseRef{Ref: "#/components/responses/" + s.name, Value: doc.Components.Responses[s.name].Value})
		}
	}
	for code := range op.Responses.Map() {
		status, err := strconv.Atoi(code)
		if err != nil || status < 400 {
			continue
		}
		if _, ok := standard[status]; !ok {
			panic(fmt.Sprintf("%s answers %d, which has no standard response in api/gen", path, status))
		}
		add(status)
	}
	for _, s := range []int{http.StatusBadRequest, http.StatusNotAcceptable, http.StatusRequestURITooLong, http.StatusRequestHeaderFieldsTooLarge, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusServiceUnavailable} {
		add(s)
	}
	if op.Security != nil && len(*op.Security) > 0 {
		add(http.StatusUnauthorized)
	}
	if strings.Contains(path, "{") {
		add(http.StatusNotFound)
	}
	if op.RequestBody != nil {
		add(http.StatusRequestEntityTooLarge)
		add(http.StatusUnsupportedMediaType)
	}
	if method != http.MethodGet && method != http.MethodDelete {
		// Any write may meet a unique value taken (web.ToProblem's duplicate)
		// or, as a POST, its Idempotency-Key still being processed.
		add(http.StatusConflict)
	}
}

// rateLimitHeaders are the headers of every answer counted against the
// caller's rate limit (all but 401s, which come before the count).
func rateLimitHeaders(doc *openapi3.T) {
	for name, d := range map[string]string{
		"RateLimit-Limit":     "Requests allowed a minute for this caller.",
		"RateLimit-Remaining": "Requests left in the current minute.",
		"RateLimit-Reset":     "Seconds until the current minute's count starts again.",
	} {
		doc.Components.Headers[name] = &openapi3.HeaderRef{Value: &openapi3.Header{Parameter: openapi3.Parameter{
			Description: d, Schema: openapi3.NewInt32Schema().WithMin(0).WithMax(10_000_000).NewRef(),
		}}}
	}
}

// limited declares the rate-limit headers on an operation's 2xx and 4xx
// answers; the shared error answers get them once, in components.
func limited(doc *openapi3.T, op *openapi3.Operation) {
	for code, r := range op.Responses.Map() {
		if r.Ref != "" || r.Value == nil || !(strings.HasPrefix(code, "2") || strings.HasPrefix(code, "4")) {
			continue
		}
		withRateLimit(doc, r.Value)
	}
}

func withRateLimit(doc *openapi3.T, r *openapi3.Response) {
	if r.Headers == nil {
		r.Headers = openapi3.Headers{}
	}
	for _, name := range []string{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"} {
		r.Headers[name] = &openapi3.HeaderRef{Ref: "#/components/headers/" + name, Value: doc.Components.Headers[name].Value}
	}
}

// Bounds of parameters that the annotations leave open. Each is enforced:
// query parameters by the contract at the edge (web.Contract), path ids by
// web.PathParams, Idempotency-Key and If-Match by their readers.
var (
	stringLimits = map[string]int{ // by format
		"uuid": 36, "date": 10, "date-time": 35,
	}
	namedLimits = map[string]struct {
		max     int
		pattern string
	}{
		"municipality": {4, "^[0-9]{4}$"}, "county": {2, "^[0-9]{2}$"}, "code": {100, ""}, "list": {50, "^[a-z_]+$"},
		"If-Match": {64, ""}, "Idempotency-Key": {255, "^[\\x21-\\x7e]+$"},
	}
	integerLimits = map[string][2]float64{
		"year": {1990, 2100}, "fiscal_year": {1990, 2100}, "days": {1, 3650}, "limit": {1, 200},
	}
	pageSize = regexp.MustCompile(`1–(\d+)`)
)

// defaultStringLimit bounds free-text query values such as q or cursor.
const defaultStringLimit = 200

func parameterLimits(op *openapi3.Operation) {
	for _, p := range op.Parameters {
		s := p.Value.Schema.Value
		switch s.Type.Slice()[0] {
		case "string":
			if len(s.Enum) > 0 || s.MaxLength != nil {
				continue
			}
			max := uint64(defaultStringLimit)
			if n, ok := stringLimits[s.Format]; ok {
				max = uint64(n)
			} else if l, ok := namedLimits[p.Value.Name]; ok {
				max, s.Pattern = uint64(l.max), l.pattern
			}
			s.MaxLength = &max
		case "integer":
			if s.Format == "" {
				s.Format = "int32"
			}
			if s.Min == nil || s.Max == nil {
				l := integerLimits[p.Value.Name]
				if m := pageSize.FindStringSubmatch(p.Value.Description); m != nil {
					n, _ := strconv.ParseFloat(m[1], 64)
					l = [2]float64{1, n}
				}
				s.Min, s.Max = &l[0], &l[1]
			}
		}
	}
}

// closeRequestSchemas says of every schema a JSON request body uses, and
// of those they use, what web.Decode does: a field the schema does not
// name is refused (additionalProperties: false).
func closeRequestSchemas(doc *openapi3.T) {
	seen := map[*openapi3.Schema]bool{}
	var close func(s *openapi3.SchemaRef)
	close = func(s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil || seen[s.Value] {
			return
		}
		v := s.Value
		seen[v] = true
		if v.Type.Is("object") && len(v.Properties) > 0 && v.AdditionalProperties.Schema == nil {
			no := false
			v.AdditionalProperties.Has = &no
		}
		for _, p := range v.Properties {
			close(p)
		}
		close(v.Items)
		close(v.AdditionalProperties.Schema)
	}
	for _, b := range requestBodies(doc) {
		if b.media == "application/json" {
			close(b.mt.Schema)
		}
	}
}

// inputLimits bounds what the annotations of forms and a few free lists
// leave open, by property name. The token and revoke forms are read by
// pkg/auth, uploads by pkg/documents and pkg/imports.
var inputLimits = map[string]uint64{
	"username": 254, "password": 256, "client_id": 36, "client_secret": 200, "scope": 500, "refresh_token": 200,
	"token": 200, "title": 300, "goal_areas": 300, "topics": 300,
}

// maxArrayItems is the most elements a JSON array in a request body may
// have (web.Decode refuses more), unless its schema says fewer.
const maxArrayItems = 1000

func limitInputs(doc *openapi3.T) {
	var walk func(name string, s *openapi3.SchemaRef)
	walk = func(name string, s *openapi3.SchemaRef) {
		if s == nil || s.Value == nil {
			return
		}
		v := s.Value
		switch {
		case v.Type.Is("string") && v.MaxLength == nil && len(v.Enum) == 0:
			if v.Format == "binary" { // an upload: documents.MaxSize and imports.MaxSize, in bytes
				n := uint64(20 << 20)
				v.MaxLength = &n
				return
			}
			if n, ok := inputLimits[name]; ok {
				v.MaxLength = &n
			}
			if name == "grant_type" {
				v.Enum = []any{"password", "refresh_token", "client_credentials"}
			}
		case v.Type.Is("array"):
			if v.MaxItems == nil {
				n := uint64(maxArrayItems)
				v.MaxItems = &n
			}
			walk(name, v.Items)
		case v.Type.Is("integer") && name == "principles":
			one, five := 1.0, 5.0
			v.Format, v.Min, v.Max = "int32", &one, &five
		}
		for p, ps := range v.Properties {
			walk(p, ps)
		}
		if v.AdditionalProperties.Schema != nil {
			walk(name, v.AdditionalProperties.Schema)
		}
	}
	for _, b := range requestBodies(doc) {
		walk("", b.mt.Schema)
	}
}

// patchSchemas gives a PATCH whose body schema is shared with a create its
// own copy without `required`: a PATCH changes only the fields sent.
func patchSchemas(doc *openapi3.T) {
	for _, b := range requestBodies(doc) {
		mt := b.mt
		if b.method != http.MethodPatch || b.media != "application/json" || b.schema == "" || len(mt.Schema.Value.Required) == 0 {
			continue
		}
		name := b.schema + "Patch"
		v := *mt.Schema.Value
		v.Required = nil
		v.Properties = openapi3.Schemas{}
		for k, p := range mt.Schema.Value.Properties {
			v.Properties[k] = p
			if p.Ref != "" || p.Value.Nullable {
				continue
			}
			c := *p.Value // null, or an empty date or id, leaves it as it is
			c.Nullable = true
			if pat, ok := emptyPatterns[c.Format]; ok && c.Type.Is("string") {
				c.Pattern, c.Format = pat, ""
			}
			v.Properties[k] = &openapi3.SchemaRef{Value: &c}
		}
		v.Description = strings.TrimSpace(v.Description + " For PATCH: every field is optional, and only those sent change.")
		doc.Components.Schemas[name] = &openapi3.SchemaRef{Value: &v}
		mt.Schema = &openapi3.SchemaRef{Ref: "#/components/schemas/" + name, Value: &v}
	}
}

// patterns are the forms the domain checks of codes and addresses, by
// property name or by "Schema.property" (swag has no tag for them). An
// optional e-mail or web address may be empty, which clears it.
var patterns = map[string]string{
	"municipality_code": "^[0-9]{4}$", "county_code": "^[0-9]{2}$", "abbreviation": "^[A-Z]{2,5}$",
	"NewMunicipality.code": "^[0-9]{4}$", "NewCodeListEntry.code": codePattern, "RuleRequest.code": codePattern,
	"IndicatorDefinitionRequest.code": codePattern,
	"email":                           `^$|^[^@\s]+@[^@\s]+$`, "website": `^$|^https?://\S+$`,
}

const codePattern = "^[a-z0-9_]{1,64}$"

// emptyPatterns stand for the formats of optional properties of request
// bodies: there an empty string is no value (on a PATCH, it clears one),
// which the format itself would refuse.
var emptyPatterns = map[string]string{
	"date": "^$|^(19|[2-9][0-9])[0-9]{2}-[0-9]{2}-[0-9]{2}$", // dates.MinYear: 1900
	"uuid": "^$|^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}

// bodyFields declares the patterns above on the properties of every JSON
// request body's schema.
func bodyFields(doc *openapi3.T) {
	for _, b := range requestBodies(doc) {
		if b.media != "application/json" {
			continue
		}
		body := b.mt.Schema.Value
		for name, p := range body.Properties {
			v := p.Value
			optional := !slices.Contains(body.Required, name)
			if p.Ref == "" && optional {
				v.Nullable = true // web.Decode takes null as not sent
			}
			if !v.Type.Is("string") || len(v.Enum) > 0 || v.Pattern != "" {
				continue
			}
			if pat, ok := patterns[b.schema+"."+name]; ok {
				v.Pattern = pat
			} else if pat, ok := patterns[name]; ok {
				v.Pattern = pat
			} else if pat, ok := emptyPatterns[v.Format]; ok && optional {
				v.Pattern, v.Format = pat, ""
				v.Description = strings.TrimSpace(v.Description + " Empty: none.")
			}
		}
	}
}

// requestBody is one media type of an operation's request body.
type requestBody struct {
	method string
	schema string // the component it refers to; "" for an inline schema
	media  string
	mt     *openapi3.MediaType
}

// requestBodies are the request bodies of every operation, each media type
// with a schema once.
func requestBodies(doc *openapi3.T) []requestBody {
	var out []requestBody
	for _, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value == nil {
				continue
			}
			for media, mt := range op.RequestBody.Value.Content {
				if mt.Schema != nil && mt.Schema.Value != nil {
					out = append(out, requestBody{method, strings.TrimPrefix(mt.Schema.Ref, "#/components/schemas/"), media, mt})
				}
			}
		}
	}
	return out
}

// jsonNames puts a property's JSON name where its description, a Go doc
// comment, begins with the Go field's name: "RateLimitPerMinute is …"
// becomes "`rate_limit_per_minute` is …".
func jsonNames(doc *openapi3.T) {
	for _, schema := range doc.Components.Schemas {
		for name, p := range schema.Value.Properties {
			if p.Ref != "" || p.Value == nil {
				continue
			}
			word, rest, _ := strings.Cut(p.Value.Description, " ")
			if word != "" && strings.EqualFold(word, strings.ReplaceAll(name, "_", "")) {
				p.Value.Description = "`" + name + "` " + rest
			}
		}
	}
}

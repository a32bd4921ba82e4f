package imports

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/listing"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// MaxSize is the largest import file.
const MaxSize = 20 << 20

// Handler is the HTTP face of imports.
type Handler struct{ svc *Service }

// NewHandler returns the handler over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the import route.
func (h *Handler) Register(r *auth.Router) {
	r.POST("/imports", auth.Authenticated, h.run)
}

// IsUpload tells the body-limit middleware that imports carry large files.
func IsUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost && c.Path() == "/api/v1/imports"
}

// run imports a file.
//
//	@Summary		Import a CSV or XLSX file
//	@Description	The file is multipart field `file`, in exactly the export format (`GET /organisations`, `/partnerships`, `/allocations` or `/measurements?status=all` with `Accept: text/csv`). `dry_run=true` answers every problem as row, column, code and message and writes nothing. A real run is all-or-nothing in one transaction: any problem answers 422 with the same list and nothing is written. Rows whose id exists update it; other rows are created, keeping their id, version and timestamps, so an export imported into an empty database exports the same. Each row is audited.
//	@Tags			imports
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		bearer
//	@Param			type			query		string	true	"what the file holds"	Enums(organisations,partnerships,allocations,measurements)
//	@Param			dry_run			query		bool	false	"check only"
//	@Param			file			formData	file	true	"the CSV or XLSX file"
//	@Param			Idempotency-Key	header		string	false	"repeat a POST safely"
//	@Success		200				{object}	Result
//	@Failure		400				{object}	problem.Error
//	@Failure		401				{object}	problem.Error
//	@Failure		403				{object}	problem.Error
//	@Failure		409				{object}	problem.Error
//	@Failure		413				{object}	problem.Error
//	@Failure		422				{object}	Result
//	@Failure		500				{object}	problem.Error
//	@ID			createImport
//	@Router			/imports [post]
func (h *Handler) run(c echo.Context) error {
	q := c.QueryParams()
	if err := listing.Only(q, "type", "dry_run"); err != nil {
		return err
	}
	dry := false
	if v := q.Get("dry_run"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			var f problem.Fields
			f.Add("dry_run", "invalid_bool", "must be true or false")
			return f.BadRequest("invalid_query")
		}
		dry = b
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, MaxSize+1<<20)
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		var f problem.Fields
		f.Add("file", "required", "send the file as multipart/form-data in the field file")
		return f.BadRequest("invalid_upload")
	}
	file, err := fh.Open()
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxSize+1))
	if err != nil {
		return err
	}
	res, err := h.svc.Run(c.Request().Context(), auth.PrincipalOf(c), q.Get("type"), data, dry)
	var ip *importProblem
	if errors.As(err, &ip) {
		// A problem document that also lists every row at fault.
		p := *ip.problem
		p.Instance, p.RequestID = c.Request().URL.Path, c.Response().Header().Get(echo.HeaderXRequestID)
		body := map[string]any{"type": p.Type, "title": p.Title, "status": p.Status, "detail": p.Detail, "instance": p.Instance,
			"code": p.Code, "request_id": p.RequestID, "rows": ip.result.Rows, "dry_run": false, "committed": false, "errors": ip.result.Errors}
		c.Response().Header().Set(echo.HeaderContentType, problem.ContentType)
		c.Response().WriteHeader(http.StatusUnprocessableEntity)
		return json.NewEncoder(c.Response()).Encode(body)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, res)
}

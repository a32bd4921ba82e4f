package documents

import (
	"errors"
	"io"
	"mime"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Handler is the HTTP face of documents.
type Handler struct{ svc *Service }

// NewHandler returns the handlers over svc.
func NewHandler(svc *Service) *Handler { return &Handler{svc: svc} }

// Register adds the document routes.
func (h *Handler) Register(r *auth.Router) {
	r.GET("/partnerships/:id/documents", auth.PartnershipsRead, h.listPartnershipDocuments)
	r.POST("/partnerships/:id/documents", auth.PartnershipsWrite, h.uploadPartnershipDocument)
	r.GET("/evaluations/:id/documents", auth.EvaluationRead, h.listEvaluationDocuments)
	r.POST("/evaluations/:id/documents", auth.EvaluationWrite, h.uploadEvaluationDocument)
	r.GET("/documents/:id", auth.DocumentsRead, h.get)
	r.GET("/documents/:id/content", auth.DocumentsRead, h.content)
	r.DELETE("/documents/:id", auth.DocumentsWrite, h.archive)
}

// IsUpload tells the body-limit middleware which requests may carry a
// document (up to MaxSize) instead of the usual limit.
func IsUpload(c echo.Context) bool {
	return c.Request().Method == http.MethodPost &&
		(c.Path() == "/api/v1/partnerships/:id/documents" || c.Path() == "/api/v1/evaluations/:id/documents")
}

// List is an owner's documents.
type List struct {
	Items []Document `json:"items"`
} // @name DocumentList

func (h *Handler) list(c echo.Context, owner string) error {
	items, err := h.svc.List(c.Request().Context(), auth.PrincipalOf(c), owner, c.Param("id"))
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, List{Items: items})
}

func (h *Handler) upload(c echo.Context, owner string) error {
	// Whether the owner may be written comes first: the answer about the
	// upload itself would tell a caller who may not see the owner that it exists.
	if err := h.svc.MayUpload(c.Request().Context(), auth.PrincipalOf(c), owner, c.Param("id")); err != nil {
		return err
	}
	c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, MaxSize+1<<20)
	fh, err := c.FormFile("file")
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return echo.ErrStatusRequestEntityTooLarge
		}
		var f problem.Fields
		f.Add("file", "required", "send the document as multipart/form-data in the field file")
		return f.BadRequest("invalid_upload")
	}
	if fh.Size > MaxSize {
		return problem.New(http.StatusRequestEntityTooLarge, "body_too_large", "a document may be at most 20 MiB")
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
	d, err := h.svc.Upload(c.Request().Context(), auth.PrincipalOf(c), owner, c.Param("id"), fh.Filename, c.FormValue("title"), data)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/api/v1/documents/"+d.ID)
	return c.JSON(http.StatusCreated, d)
}

// listPartnershipDocuments lists a partnership's documents.
//
//	@Summary	List a partnership's documents
//	@Tags		documents
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"partnership id"	format(uuid)
//	@Success	200	{object}	List
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listPartnershipDocuments
//	@Router		/partnerships/{id}/documents [get]
func (h *Handler) listPartnershipDocuments(c echo.Context) error { return h.list(c, "partnership") }

// uploadPartnershipDocument stores a document on a partnership.
//
//	@Summary		Upload a document to a partnership
//	@Description	multipart/form-data with the file in `file` and an optional `title`. At most 20 MiB; the type is checked from the content: PDF, DOCX, XLSX, ODT, PNG or JPEG. The SHA-256 is kept.
//	@Tags			documents
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		bearer
//	@Param			id		path		string	true	"partnership id"	format(uuid)
//	@Param			file	formData	file	true	"the document"
//	@Param			title	formData	string	false	"a title"
//	@Success		201		{object}	Document
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		404		{object}	problem.Error
//	@Failure		409		{object}	problem.Error
//	@Failure		413		{object}	problem.Error
//	@Failure		422		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			createPartnershipDocument
//	@Router			/partnerships/{id}/documents [post]
func (h *Handler) uploadPartnershipDocument(c echo.Context) error { return h.upload(c, "partnership") }

// listEvaluationDocuments lists an evaluation's documents.
//
//	@Summary	List an evaluation's documents
//	@Tags		documents
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"evaluation id"	format(uuid)
//	@Success	200	{object}	List
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			listEvaluationDocuments
//	@Router		/evaluations/{id}/documents [get]
func (h *Handler) listEvaluationDocuments(c echo.Context) error { return h.list(c, "evaluation") }

// uploadEvaluationDocument stores a document on an evaluation.
//
//	@Summary		Upload a document to an evaluation
//	@Description	As for partnerships: an evaluation report, at most 20 MiB, type checked from the content.
//	@Tags			documents
//	@Accept			multipart/form-data
//	@Produce		json
//	@Security		bearer
//	@Param			id		path		string	true	"evaluation id"	format(uuid)
//	@Param			file	formData	file	true	"the document"
//	@Param			title	formData	string	false	"a title"
//	@Success		201		{object}	Document
//	@Failure		400		{object}	problem.Error
//	@Failure		401		{object}	problem.Error
//	@Failure		403		{object}	problem.Error
//	@Failure		404		{object}	problem.Error
//	@Failure		409		{object}	problem.Error
//	@Failure		413		{object}	problem.Error
//	@Failure		422		{object}	problem.Error
//	@Failure		500		{object}	problem.Error
//	@ID			createEvaluationDocument
//	@Router			/evaluations/{id}/documents [post]
func (h *Handler) uploadEvaluationDocument(c echo.Context) error { return h.upload(c, "evaluation") }

// get shows a document's description.
//
//	@Summary	Get a document's description
//	@Tags		documents
//	@Produce	json
//	@Security	bearer
//	@Param		id	path		string	true	"document id"	format(uuid)
//	@Success	200	{object}	Document
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getDocument
//	@Router		/documents/{id} [get]
func (h *Handler) get(c echo.Context) error {
	d, _, err := h.svc.Get(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), false)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, d)
}

// content downloads a document.
//
//	@Summary	Download a document
//	@Tags		documents
//	@Produce	application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.text,image/png,image/jpeg
//	@Security	bearer
//	@Param		id	path		string	true	"document id"	format(uuid)
//	@Success	200	{file}		binary
//	@Failure	401	{object}	problem.Error
//	@Failure	403	{object}	problem.Error
//	@Failure	404	{object}	problem.Error
//	@Failure	500	{object}	problem.Error
//	@ID			getDocumentContent
//	@Router		/documents/{id}/content [get]
func (h *Handler) content(c echo.Context) error {
	d, data, err := h.svc.Get(c.Request().Context(), auth.PrincipalOf(c), c.Param("id"), true)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, mime.FormatMediaType("attachment", map[string]string{"filename": d.Filename}))
	c.Response().Header().Set("ETag", `"`+d.SHA256+`"`)
	return c.Blob(http.StatusOK, d.ContentType, data)
}

// archive withdraws a document.
//
//	@Summary		Remove a document
//	@Description	The document leaves its owner's list; the stored bytes are kept (public records).
//	@Tags			documents
//	@Security		bearer
//	@Param			id	path	string	true	"document id"	format(uuid)
//	@Success		204
//	@Failure		401	{object}	problem.Error
//	@Failure		403	{object}	problem.Error
//	@Failure		404	{object}	problem.Error
//	@Failure		500	{object}	problem.Error
//	@ID			deleteDocument
//	@Router			/documents/{id} [delete]
func (h *Handler) archive(c echo.Context) error {
	if err := h.svc.Archive(c.Request().Context(), auth.PrincipalOf(c), c.Param("id")); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

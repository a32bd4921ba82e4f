package web

import (
	"context"
	"net/http"

	"github.com/labstack/echo/v4"
)

// Versioned is a resource answer that knows its version, for its ETag.
type Versioned interface{ ETagVersion() int }

// Get answers one resource with its ETag.
func Get[Res Versioned](c echo.Context, load func(ctx context.Context) (Res, error)) error {
	out, err := load(c.Request().Context())
	if err != nil {
		return err
	}
	SetETag(c, out.ETagVersion())
	return c.JSON(http.StatusOK, out)
}

// Create runs the POST convention: a strict JSON body, the creation, then 201
// with the ETag and the new resource's Location.
func Create[Req any, Res Versioned](c echo.Context, location func(Res) string, create func(ctx context.Context, req Req) (Res, error)) error {
	var req Req
	if err := Decode(c, &req); err != nil {
		return err
	}
	out, err := create(c.Request().Context(), req)
	if err != nil {
		return err
	}
	SetETag(c, out.ETagVersion())
	c.Response().Header().Set(echo.HeaderLocation, location(out))
	return c.JSON(http.StatusCreated, out)
}

// Patch runs the PATCH convention: If-Match first (428/412), a strict JSON
// body, the change at that version, then 200 with the new ETag.
func Patch[Req any, Res Versioned](c echo.Context, change func(ctx context.Context, version int, req Req) (Res, error)) error {
	version, err := IfMatch(c)
	if err != nil {
		return err
	}
	var req Req
	if err := Decode(c, &req); err != nil {
		return err
	}
	out, err := change(c.Request().Context(), version, req)
	if err != nil {
		return err
	}
	SetETag(c, out.ETagVersion())
	return c.JSON(http.StatusOK, out)
}

// Act runs a bodiless state change at the If-Match version (archive,
// restore, rotate) and answers 200 with the resource and its new ETag.
func Act[Res Versioned](c echo.Context, act func(ctx context.Context, version int) (Res, error)) error {
	version, err := IfMatch(c)
	if err != nil {
		return err
	}
	out, err := act(c.Request().Context(), version)
	if err != nil {
		return err
	}
	SetETag(c, out.ETagVersion())
	return c.JSON(http.StatusOK, out)
}

// Remove runs the DELETE convention for sub-resources: If-Match, the
// removal at that version, then 204.
func Remove(c echo.Context, remove func(ctx context.Context, version int) error) error {
	version, err := IfMatch(c)
	if err != nil {
		return err
	}
	if err := remove(c.Request().Context(), version); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

package documents_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/samverkan/samverkan/pkg/app/apptest"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/documents"
	"github.com/samverkan/samverkan/pkg/partnerships"
	"github.com/samverkan/samverkan/pkg/platform/dbtest"
)

func TestMain(m *testing.M) { dbtest.Main(m) }

func upload(env *apptest.Env, path, token, filename string, content []byte) apptest.Response {
	return env.Upload(path, token, filename, content, "title", "Undertecknat avtal")
}

var pdf = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func TestDocuments(t *testing.T) {
	env := apptest.New(t)
	_, editor := env.NewUser(auth.RoleEditor)
	_, viewer := env.NewUser(auth.RoleViewer)
	var p partnerships.Response
	env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Med avtal", Form: "iop", MunicipalityCode: "1480"}).JSON(t, &p)
	base := "/api/v1/partnerships/" + p.ID + "/documents"

	res := upload(env, base, editor, "IOP-avtal Friskvårdsklubben.pdf", pdf)
	var d documents.Document
	res.JSON(t, &d)
	if res.Code != 201 || d.ContentType != "application/pdf" || d.SizeBytes != int64(len(pdf)) || len(d.SHA256) != 64 {
		t.Fatalf("upload: %d %s", res.Code, res.Body)
	}
	for name, body := range map[string][]byte{
		"text":       []byte("inte ett dokument"),
		"executable": append([]byte("MZ\x90\x00"), bytes.Repeat([]byte{0}, 100)...),
		"html":       []byte("<html><script>alert(1)</script></html>"),
	} {
		if r := upload(env, base, editor, "fake.pdf", body); r.Code != 422 {
			t.Errorf("%s named .pdf: %d", name, r.Code)
		}
	}
	if r := upload(env, base, editor, "stor.pdf", append(pdf, bytes.Repeat([]byte("x"), documents.MaxSize)...)); r.Code != 413 {
		t.Errorf("over 20 MiB: %d", r.Code)
	}
	if r := upload(env, base, viewer, "x.pdf", pdf); r.Code != 403 {
		t.Errorf("a viewer uploaded: %d", r.Code)
	}
	var l documents.List
	env.Do("GET", base, viewer, nil).JSON(t, &l)
	if len(l.Items) != 1 {
		t.Fatalf("list: %+v", l)
	}
	dl := env.Do("GET", "/api/v1/documents/"+d.ID+"/content", viewer, nil)
	if dl.Code != 200 || dl.Header.Get("Content-Type") != "application/pdf" || !bytes.Equal(dl.Body, pdf) ||
		!strings.HasPrefix(dl.Header.Get("Content-Disposition"), "attachment; filename*=utf-8''IOP-avtal%20Friskv%C3%A5rdsklubben.pdf") {
		t.Fatalf("download: %d %v", dl.Code, dl.Header)
	}
	var other partnerships.Response
	_, west := env.NewUser(auth.RoleDistrictEditor)
	env.Do("POST", "/api/v1/partnerships", editor, partnerships.NewRequest{Title: "Angered", Form: "iop", MunicipalityCode: "1480",
		DistrictIDs: []string{env.Districts["Angered"]}}).JSON(t, &other)
	od := upload(env, "/api/v1/partnerships/"+other.ID+"/documents", editor, "a.pdf", pdf)
	var hidden documents.Document
	od.JSON(t, &hidden)
	if r := env.Do("GET", "/api/v1/documents/"+hidden.ID+"/content", west, nil); r.Code != 404 {
		t.Fatalf("another district's document: %d", r.Code)
	}
	if r := env.Do("DELETE", "/api/v1/documents/"+d.ID, editor, nil); r.Code != 204 {
		t.Fatalf("remove: %d", r.Code)
	}
	if r := env.Do("GET", "/api/v1/documents/"+d.ID, editor, nil); r.Code != 404 {
		t.Fatalf("removed document: %d", r.Code)
	}
}

// Package documents keeps the files attached to partnerships and
// evaluations — signed agreements, evaluation reports — with their type
// checked from the content and their SHA-256 kept, behind a small storage
// interface (PostgreSQL today).
package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// MaxSize is the largest document accepted: 20 MiB.
const MaxSize = 20 << 20

// Allowed are the content types accepted, detected from the bytes.
var Allowed = []string{
	"application/pdf",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.oasis.opendocument.text",
	"image/png",
	"image/jpeg",
}

// Storage keeps document contents. The PostgreSQL one writes in the same
// transaction as the metadata, so a document is never half stored.
type Storage interface {
	Put(ctx context.Context, tx *gorm.DB, id string, data []byte) error
	Get(ctx context.Context, tx *gorm.DB, id string) ([]byte, error)
}

// PostgresStorage keeps contents in the document_blobs table.
type PostgresStorage struct{}

// Put stores data under id.
func (PostgresStorage) Put(ctx context.Context, tx *gorm.DB, id string, data []byte) error {
	return tx.WithContext(ctx).Exec("INSERT INTO document_blobs (document_id, data) VALUES (?, ?)", id, data).Error
}

// Get reads the data stored under id.
func (PostgresStorage) Get(ctx context.Context, tx *gorm.DB, id string) ([]byte, error) {
	var data []byte
	err := tx.WithContext(ctx).Raw("SELECT data FROM document_blobs WHERE document_id = ?", id).Row().Scan(&data)
	return data, err
}

// Document is a stored file's description.
type Document struct {
	ID          string    `json:"id" format:"uuid" gorm:"primaryKey;default:gen_random_uuid()"`
	OwnerType   string    `json:"owner_type" enums:"partnership,evaluation"`
	OwnerID     string    `json:"owner_id" format:"uuid"`
	Filename    string    `json:"filename" example:"IOP-avtal Friskvårdsklubben 2015.pdf"`
	Title       string    `json:"title,omitempty" example:"Undertecknat avtal"`
	ContentType string    `json:"content_type" example:"application/pdf"`
	SizeBytes   int64     `json:"size_bytes" example:"183422"`
	SHA256      string    `json:"sha256" gorm:"-" example:"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"`
	Hash        []byte    `json:"-" gorm:"column:sha256"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at" format:"date-time"`
} // @name Document

// TableName is the documents table.
func (Document) TableName() string { return "documents" }

// Owners say whether a principal may see or change what documents hang on.
type Owners interface {
	// Check answers 404 unless p may see (write: change) the owner.
	Check(ctx context.Context, tx *gorm.DB, p auth.Principal, ownerType, ownerID string, write bool) error
}

// Service stores and serves documents.
type Service struct {
	db      *gorm.DB
	storage Storage
	owners  Owners
}

// NewService returns the document service.
func NewService(db *gorm.DB, storage Storage, owners Owners) *Service {
	return &Service{db: db, storage: storage, owners: owners}
}

// List lists the documents of an owner p may see.
func (s *Service) List(ctx context.Context, p auth.Principal, ownerType, ownerID string) ([]Document, error) {
	if err := s.owners.Check(ctx, s.db, p, ownerType, ownerID, false); err != nil {
		return nil, err
	}
	out := []Document{}
	err := s.db.WithContext(ctx).Where("owner_type = ? AND owner_id = ? AND archived_at IS NULL", ownerType, ownerID).Order("created_at").Find(&out).Error
	for i := range out {
		out[i].SHA256 = hex.EncodeToString(out[i].Hash)
	}
	return out, err
}

// Get returns a document's description and, with content, its bytes.
func (s *Service) Get(ctx context.Context, p auth.Principal, id string, content bool) (Document, []byte, error) {
	var d Document
	if !problem.IsUUID(id) {
		return d, nil, problem.NotFound("document")
	}
	err := s.db.WithContext(ctx).Where("id = ? AND archived_at IS NULL", id).Take(&d).Error
	if database.IsNotFound(err) {
		return d, nil, problem.NotFound("document")
	}
	if err != nil {
		return d, nil, err
	}
	if err := s.owners.Check(ctx, s.db, p, d.OwnerType, d.OwnerID, false); err != nil {
		return d, nil, problem.NotFound("document")
	}
	d.SHA256 = hex.EncodeToString(d.Hash)
	if !content {
		return d, nil, nil
	}
	data, err := s.storage.Get(ctx, s.db, id)
	return d, data, err
}

// MayUpload answers as Upload would when p may not attach documents to the
// owner (404 or 403), before anything of the upload is read.
func (s *Service) MayUpload(ctx context.Context, p auth.Principal, ownerType, ownerID string) error {
	return s.owners.Check(ctx, s.db, p, ownerType, ownerID, true)
}

// Upload stores a file for an owner, after checking its real type.
func (s *Service) Upload(ctx context.Context, p auth.Principal, ownerType, ownerID, filename, title string, data []byte) (Document, error) {
	var f problem.Fields
	filename = filepath.Base(strings.ReplaceAll(filename, "\\", "/"))
	f.Text("filename", filename, true, 255)
	f.Text("title", title, false, 300)
	if len(data) == 0 {
		f.Add("file", "empty", "the file is empty")
	}
	if len(data) > MaxSize {
		f.Add("file", "too_large", "at most 20 MiB")
	}
	mt := mimetype.Detect(data)
	ct := strings.SplitN(mt.String(), ";", 2)[0]
	if len(f) == 0 && !slices.Contains(Allowed, ct) {
		f.Add("file", "type_not_allowed", "must be PDF, DOCX, XLSX, ODT, PNG or JPEG (this looks like "+ct+")")
	}
	sum := sha256.Sum256(data)
	d := Document{OwnerType: ownerType, OwnerID: ownerID, Filename: filename, Title: title, ContentType: ct,
		SizeBytes: int64(len(data)), Hash: sum[:], CreatedBy: p.Key()}
	var out Document
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if err := s.owners.Check(ctx, tx, p, ownerType, ownerID, true); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Document]{
			Row:  &d,
			Then: func(id string) error { return s.storage.Put(ctx, tx, id, bytes.Clone(data)) },
			Load: func(id string) (Document, error) {
				var d Document
				err := tx.Where("id = ?", id).Take(&d).Error
				d.SHA256 = hex.EncodeToString(d.Hash)
				return d, err
			},
			Event: audit.Event{Actor: p.Actor(), Action: "document.upload", EntityType: "document"},
		})
	})
	return out, err
}

// Archive withdraws a document; its bytes stay (public records).
func (s *Service) Archive(ctx context.Context, p auth.Principal, id string) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		d, _, err := s.Get(ctx, p, id, false)
		if err != nil {
			return err
		}
		if err := s.owners.Check(ctx, tx, p, d.OwnerType, d.OwnerID, true); err != nil {
			return err
		}
		if err := tx.Exec("UPDATE documents SET archived_at = now() WHERE id = ?", id).Error; err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "document.archive", EntityType: "document", EntityID: id, Before: d})
	})
}

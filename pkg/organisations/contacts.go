package organisations

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Contact is a contact person of an organisation: personal data, kept
// minimal and erasable on request (GDPR art. 17) without breaking history.
// A contact is the tenant's that recorded it: other tenants, who share the
// organisation, never see it.
type Contact struct {
	ID             string     `json:"id" format:"uuid" gorm:"primaryKey;default:gen_random_uuid()"`
	TenantID       string     `json:"-"`
	OrganisationID string     `json:"organisation_id" format:"uuid"`
	Name           string     `json:"name" example:"Utvecklingsledare"`
	Title          string     `json:"title,omitempty" example:"Verksamhetsansvarig"`
	Email          string     `json:"email,omitempty"`
	Phone          string     `json:"phone,omitempty"`
	Erased         bool       `json:"erased" gorm:"-"`
	ErasedAt       *time.Time `json:"erased_at,omitempty" format:"date-time"`
	Version        int        `json:"version"`
	CreatedAt      time.Time  `json:"created_at" format:"date-time"`
	UpdatedAt      time.Time  `json:"updated_at" format:"date-time"`
	ArchivedAt     *time.Time `json:"-"`
} // @name Contact

// TableName is the contacts table.
func (Contact) TableName() string { return "contacts" }

// NewContactRequest adds a contact person.
type NewContactRequest struct {
	Name  string `json:"name" validate:"required,min=1,max=200" example:"Utvecklingsledare"`
	Title string `json:"title,omitempty" validate:"max=200"`
	Email string `json:"email,omitempty" validate:"max=254"`
	Phone string `json:"phone,omitempty" validate:"max=30"` // digits, spaces and + - ( ), at least five digits
} // @name NewContact

// UpdateContactRequest changes a contact person; "" clears a field.
type UpdateContactRequest struct {
	Name  *string `json:"name" validate:"min=1,max=200"`
	Title *string `json:"title" validate:"max=200"`
	Email *string `json:"email" validate:"max=254"`
	Phone *string `json:"phone" validate:"max=30"` // digits, spaces and + - ( ), at least five digits
} // @name UpdateContact

// ContactList is every current contact person of an organisation.
type ContactList struct {
	Items []Contact `json:"items"`
} // @name ContactList

// contactAudit is what the append-only audit trail keeps of a contact: no
// personal data, so that erasure leaves none behind.
type contactAudit struct {
	ID             string   `json:"id"`
	OrganisationID string   `json:"organisation_id"`
	Changed        []string `json:"changed,omitempty"`
	Erased         bool     `json:"erased"`
}

func checkContact(c Contact) error {
	var f problem.Fields
	f.Text("name", c.Name, true, 200)
	f.Text("title", c.Title, false, 200)
	f.Email("email", c.Email)
	f.Phone("phone", c.Phone)
	return f.Err()
}

// organisationFor loads the organisation of a contact route and checks that p
// may read it, or write it when write is set.
func (s *Service) organisationFor(ctx context.Context, tx *gorm.DB, p auth.Principal, orgID string, write bool) (Organisation, error) {
	o, err := s.readable(ctx, tx, p, orgID)
	if err != nil {
		return o, err
	}
	if write && !mayWrite(p, o, o) {
		return o, problem.Forbidden("this organisation is outside your districts")
	}
	return o, nil
}

// contact loads a current contact of the organisation that p's tenant
// keeps. The database keeps contacts to the tenant on its own (row-level
// security); the query says it too.
func (s *Service) contact(ctx context.Context, tx *gorm.DB, p auth.Principal, orgID, id string) (Contact, error) {
	var c Contact
	if uuid.Validate(id) != nil {
		return c, problem.NotFound("contact")
	}
	err := tx.WithContext(ctx).Where("tenant_id = ? AND id = ? AND organisation_id = ? AND archived_at IS NULL",
		s.store(ctx, p, tx).tenantArg(), id, orgID).Take(&c).Error
	if database.IsNotFound(err) {
		return c, problem.NotFound("contact")
	}
	c.Erased = c.ErasedAt != nil
	return c, err
}

// Contacts lists the current, not erased contact persons of an
// organisation that p's tenant keeps.
func (s *Service) Contacts(ctx context.Context, p auth.Principal, orgID string) ([]Contact, error) {
	if _, err := s.organisationFor(ctx, s.db, p, orgID, false); err != nil {
		return nil, err
	}
	out := []Contact{}
	err := s.db.WithContext(ctx).Where("tenant_id = ? AND organisation_id = ? AND archived_at IS NULL AND erased_at IS NULL",
		s.store(ctx, p, s.db).tenantArg(), orgID).Order("created_at, id").Find(&out).Error
	return out, err
}

// Contact returns one contact person.
func (s *Service) Contact(ctx context.Context, p auth.Principal, orgID, id string) (Contact, error) {
	if _, err := s.organisationFor(ctx, s.db, p, orgID, false); err != nil {
		return Contact{}, err
	}
	return s.contact(ctx, s.db, p, orgID, id)
}

// AddContact adds a contact person to an organisation, as p's tenant's.
func (s *Service) AddContact(ctx context.Context, p auth.Principal, orgID string, req NewContactRequest) (Contact, error) {
	c := Contact{TenantID: tenantOf(ctx, p), OrganisationID: orgID, Name: req.Name, Title: req.Title, Email: req.Email, Phone: req.Phone}
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.organisationFor(ctx, tx, p, orgID, true); err != nil {
			return err
		}
		if c.TenantID == "" {
			return problem.Forbidden("contact persons are kept by a tenant")
		}
		if err := checkContact(c); err != nil {
			return err
		}
		if err := tx.Omit("ID", "Version", "Erased", "ErasedAt", "ArchivedAt").Create(&c).Error; err != nil {
			return err
		}
		var err error
		if c, err = s.contact(ctx, tx, p, orgID, c.ID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "contact.create", EntityType: "contact", EntityID: c.ID,
			After: contactAudit{ID: c.ID, OrganisationID: orgID, Changed: []string{"name", "title", "email", "phone"}}})
	})
	return c, err
}

// UpdateContact changes the fields sent, if version is current.
func (s *Service) UpdateContact(ctx context.Context, p auth.Principal, orgID, id string, version int, req UpdateContactRequest) (Contact, error) {
	var out Contact
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		// The contact first: another tenant's is not there (404), whatever
		// the caller may do with the organisation, which is everyone's.
		c, err := s.contact(ctx, tx, p, orgID, id)
		if err != nil {
			return err
		}
		if _, err := s.organisationFor(ctx, tx, p, orgID, true); err != nil {
			return err
		}
		if c.Erased {
			return problem.Conflict("erased", "this contact person has been erased and cannot be changed")
		}
		values := map[string]any{}
		for col, v := range map[string]*string{"name": req.Name, "title": req.Title, "email": req.Email, "phone": req.Phone} {
			if v != nil {
				values[col] = *v
			}
		}
		c.Name, c.Title, c.Email, c.Phone = or(req.Name, c.Name), or(req.Title, c.Title), or(req.Email, c.Email), or(req.Phone, c.Phone)
		if err := checkContact(c); err != nil {
			return err
		}
		changed := sortedKeys(values)
		if _, err := database.UpdateVersioned(tx, "contacts", "contact", id, version, values); err != nil {
			return err
		}
		if out, err = s.contact(ctx, tx, p, orgID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "contact.update", EntityType: "contact", EntityID: id,
			After: contactAudit{ID: id, OrganisationID: orgID, Changed: changed}})
	})
	return out, err
}

// ArchiveContact removes a contact person from the organisation's current
// contacts; the row is kept.
func (s *Service) ArchiveContact(ctx context.Context, p auth.Principal, orgID, id string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.contact(ctx, tx, p, orgID, id); err != nil {
			return err
		}
		if _, err := s.organisationFor(ctx, tx, p, orgID, true); err != nil {
			return err
		}
		if _, err := database.UpdateVersioned(tx, "contacts", "contact", id, version, map[string]any{"archived_at": gorm.Expr("now()")}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "contact.archive", EntityType: "contact", EntityID: id,
			After: contactAudit{ID: id, OrganisationID: orgID}})
	})
}

// EraseContact blanks a contact person's personal data for good. The row and
// its audit events stay, so history still shows that a contact existed.
func (s *Service) EraseContact(ctx context.Context, p auth.Principal, orgID, id string) (Contact, error) {
	var out Contact
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		// The contact first: another tenant's is not there (404), whatever
		// the caller may do with the organisation, which is everyone's.
		c, err := s.contact(ctx, tx, p, orgID, id)
		if err != nil {
			return err
		}
		if _, err := s.organisationFor(ctx, tx, p, orgID, true); err != nil {
			return err
		}
		if c.Erased {
			out = c
			return nil // erasing twice is erasing once
		}
		if _, err := database.UpdateVersioned(tx, "contacts", "contact", id, c.Version, map[string]any{
			"name": "", "title": "", "email": "", "phone": "", "erased_at": gorm.Expr("now()")}); err != nil {
			return err
		}
		if out, err = s.contact(ctx, tx, p, orgID, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Event{Actor: p.Actor(), Action: "contact.erase", EntityType: "contact", EntityID: id,
			After: contactAudit{ID: id, OrganisationID: orgID, Erased: true}})
	})
	return out, err
}

func or(v *string, def string) string {
	if v != nil {
		return *v
	}
	return def
}

func sortedKeys(m map[string]any) []string {
	return slices.Sorted(maps.Keys(m))
}

// ETagVersion is the version behind the contact's ETag.
func (c Contact) ETagVersion() int { return c.Version }

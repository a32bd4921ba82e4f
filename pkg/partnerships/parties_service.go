package partnerships

import (
	"context"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/pkg/audit"
	"github.com/samverkan/samverkan/pkg/auth"
	"github.com/samverkan/samverkan/pkg/organisations"
	"github.com/samverkan/samverkan/pkg/platform/database"
	"github.com/samverkan/samverkan/pkg/platform/dates"
	"github.com/samverkan/samverkan/pkg/platform/problem"
)

// Parties lists the current parties of a partnership p may see.
func (s *Service) Parties(ctx context.Context, p auth.Principal, id string) ([]Party, error) {
	if _, err := s.access.Readable(ctx, s.db, p, id); err != nil {
		return nil, err
	}
	return s.parties(ctx, s.db, id)
}

func (s *Service) party(ctx context.Context, tx *gorm.DB, partnershipID, partyID string) (Party, error) {
	if !problem.IsUUID(partyID) {
		return Party{}, problem.NotFound("party")
	}
	parties, err := s.parties(ctx, tx, partnershipID)
	if err != nil {
		return Party{}, err
	}
	for _, pa := range parties {
		if pa.ID == partyID {
			return pa, nil
		}
	}
	return Party{}, problem.NotFound("party")
}

// Party returns one party.
func (s *Service) Party(ctx context.Context, p auth.Principal, id, partyID string) (Party, error) {
	if _, err := s.access.Readable(ctx, s.db, p, id); err != nil {
		return Party{}, err
	}
	return s.party(ctx, s.db, id, partyID)
}

// AddParty adds an organisation to a partnership.
func (s *Service) AddParty(ctx context.Context, p auth.Principal, id string, req NewPartyRequest) (Party, error) {
	var f problem.Fields
	r := partyRow{PartnershipID: id, OrganisationID: req.OrganisationID, Role: req.Role, Note: req.Note,
		JoinedOn: dates.Parse(&f, "joined_on", req.JoinedOn), LeftOn: dates.Parse(&f, "left_on", req.LeftOn)}
	f.IDs("organisation_id", req.OrganisationID)
	checkParty(&f, r)
	var out Party
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.access.Writable(ctx, tx, p, id); err != nil {
			return err
		}
		if len(f) == 0 {
			if err := organisations.Refer(ctx, s.orgs, p, &f, "organisation_id", req.OrganisationID); err != nil {
				return err
			}
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Party]{
			Row:   &r,
			Then:  func(string) error { return touch(tx, id) },
			Load:  func(partyID string) (Party, error) { return s.party(ctx, tx, id, partyID) },
			Event: audit.Event{Actor: p.Actor(), Action: "party.create", EntityType: "party"},
		})
	})
	return out, err
}

// UpdateParty changes a party's role, dates or note.
func (s *Service) UpdateParty(ctx context.Context, p auth.Principal, id, partyID string, version int, req UpdatePartyRequest) (Party, error) {
	var out Party
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.access.Writable(ctx, tx, p, id); err != nil {
			return err
		}
		before, err := s.party(ctx, tx, id, partyID)
		if err != nil {
			return err
		}
		var f problem.Fields
		r := partyRow{Role: before.Role, Note: before.Note, JoinedOn: dates.Parse(&f, "joined_on", before.JoinedOn), LeftOn: dates.Parse(&f, "left_on", before.LeftOn)}
		values := map[string]any{}
		if req.Role != nil {
			r.Role, values["role"] = *req.Role, *req.Role
		}
		if req.Note != nil {
			r.Note, values["note"] = *req.Note, *req.Note
		}
		if req.JoinedOn != nil {
			r.JoinedOn = dates.Parse(&f, "joined_on", *req.JoinedOn)
			values["joined_on"] = r.JoinedOn
		}
		if req.LeftOn != nil {
			r.LeftOn = dates.Parse(&f, "left_on", *req.LeftOn)
			values["left_on"] = r.LeftOn
		}
		checkParty(&f, r)
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Party]{
			Table: "partnership_parties", Entity: "party", ID: partyID, Version: version, Values: values,
			Then:  func(string) error { return touch(tx, id) },
			Load:  func(partyID string) (Party, error) { return s.party(ctx, tx, id, partyID) },
			Event: audit.Event{Actor: p.Actor(), Action: "party.update", EntityType: "party", Before: before},
		})
	})
	return out, err
}

// RemoveParty archives a party registered by mistake; a party that left is
// given a left_on date instead, so history stays true.
func (s *Service) RemoveParty(ctx context.Context, p auth.Principal, id, partyID string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		if _, err := s.access.Writable(ctx, tx, p, id); err != nil {
			return err
		}
		before, err := s.party(ctx, tx, id, partyID)
		if err != nil {
			return err
		}
		return audit.Save(ctx, tx, nil, audit.Change[any]{
			Table: "partnership_parties", Entity: "party", ID: partyID, Version: version, Values: map[string]any{"archived_at": gorm.Expr("now()")},
			Then:  func(string) error { return touch(tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "party.archive", EntityType: "party", Before: before},
		})
	})
}

// touch marks a partnership changed, for updated_since sync.
func touch(tx *gorm.DB, id string) error {
	return tx.Exec("UPDATE partnerships SET updated_at = now() WHERE id = ?", id).Error
}

// Commitments lists a partnership's ledger; direction may narrow it.
func (s *Service) Commitments(ctx context.Context, p auth.Principal, id, direction string) ([]Commitment, error) {
	if _, err := s.access.Readable(ctx, s.db, p, id); err != nil {
		return nil, err
	}
	q := s.db.WithContext(ctx).Where("partnership_id = ? AND archived_at IS NULL", id)
	if direction != "" {
		q = q.Where("direction = ?", direction)
	}
	var rows []commitmentRow
	if err := q.Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make([]Commitment, len(rows))
	for i, r := range rows {
		out[i] = toCommitment(r)
	}
	return out, nil
}

func (s *Service) commitment(ctx context.Context, tx *gorm.DB, id, commitmentID string) (commitmentRow, error) {
	var r commitmentRow
	if !problem.IsUUID(commitmentID) {
		return r, problem.NotFound("commitment")
	}
	err := tx.WithContext(ctx).Where("id = ? AND partnership_id = ? AND archived_at IS NULL", commitmentID, id).Take(&r).Error
	if database.IsNotFound(err) {
		return r, problem.NotFound("commitment")
	}
	return r, err
}

// Commitment returns one ledger line.
func (s *Service) Commitment(ctx context.Context, p auth.Principal, id, commitmentID string) (Commitment, error) {
	if _, err := s.access.Readable(ctx, s.db, p, id); err != nil {
		return Commitment{}, err
	}
	return s.commitmentIn(ctx, s.db, id, commitmentID)
}

// commitmentIn reads a ledger line back in tx as the API answers it.
func (s *Service) commitmentIn(ctx context.Context, tx *gorm.DB, id, commitmentID string) (Commitment, error) {
	r, err := s.commitment(ctx, tx, id, commitmentID)
	return toCommitment(r), err
}

// checkCommitmentRefs checks the party and district a ledger line names.
func (s *Service) checkCommitmentRefs(ctx context.Context, tx *gorm.DB, f *problem.Fields, pt Partnership, r commitmentRow) error {
	if len(*f) > 0 {
		return nil
	}
	if _, err := s.party(ctx, tx, pt.ID, r.PartyID); err != nil {
		f.Add("party_id", "not_found", "no such party of this partnership")
	}
	if r.DistrictID != nil {
		of, err := s.geo.MunicipalitiesOf(ctx, []string{*r.DistrictID})
		if err != nil {
			return err
		}
		if of[*r.DistrictID] != pt.MunicipalityCode {
			f.Add("district_id", "not_found", "no such district in the partnership's municipality")
		}
	}
	return nil
}

// changeableCommitment loads a ledger line p may change: on a partnership
// p may record on, and recorded by p's tenant unless p's tenant owns the
// partnership (403).
func (s *Service) changeableCommitment(ctx context.Context, tx *gorm.DB, p auth.Principal, id, commitmentID string) (Partnership, commitmentRow, error) {
	pt, err := s.access.Contributable(ctx, tx, p, id)
	if err != nil {
		return pt, commitmentRow{}, err
	}
	r, err := s.commitment(ctx, tx, id, commitmentID)
	if err != nil {
		return pt, r, err
	}
	if !MayChangeRecord(p, pt, deref(r.RecordedBy)) {
		return pt, r, NotRecorder()
	}
	return pt, r, nil
}

// AddCommitment adds a line to a partnership's ledger. The owner's writers
// and those of a tenant the partnership is shared with may: the line is
// recorded as their tenant's.
func (s *Service) AddCommitment(ctx context.Context, p auth.Principal, id string, req NewCommitmentRequest) (Commitment, error) {
	var f problem.Fields
	r := commitmentRow{PartnershipID: id, PartyID: req.PartyID, Direction: req.Direction, Kind: req.Kind, Description: req.Description,
		Quantity: req.Quantity, Unit: req.Unit, PeriodStart: dates.Parse(&f, "period_start", req.PeriodStart),
		PeriodEnd: dates.Parse(&f, "period_end", req.PeriodEnd), DistrictID: ptr(req.DistrictID), ValuationOre: req.ValuationOre, Currency: req.Currency}
	if r.Currency == "" {
		r.Currency = "SEK"
	}
	f.IDs("party_id", req.PartyID)
	checkCommitment(&f, r)
	var out Commitment
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		pt, err := s.access.Contributable(ctx, tx, p, id)
		if err != nil {
			return err
		}
		if err := s.checkCommitmentRefs(ctx, tx, &f, pt, r); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Commitment]{
			Row:   &r,
			Then:  func(string) error { return touch(tx, id) },
			Load:  func(commitmentID string) (Commitment, error) { return s.commitmentIn(ctx, tx, id, commitmentID) },
			Event: audit.Event{Actor: p.Actor(), Action: "commitment.create", EntityType: "commitment"},
		})
	})
	return out, err
}

// UpdateCommitment changes a ledger line.
func (s *Service) UpdateCommitment(ctx context.Context, p auth.Principal, id, commitmentID string, version int, req UpdateCommitmentRequest) (Commitment, error) {
	var out Commitment
	err := database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		pt, before, err := s.changeableCommitment(ctx, tx, p, id, commitmentID)
		if err != nil {
			return err
		}
		var f problem.Fields
		r, values := before, map[string]any{}
		for col, pair := range map[string]struct {
			dst *string
			v   *string
		}{"direction": {&r.Direction, req.Direction}, "kind": {&r.Kind, req.Kind}, "description": {&r.Description, req.Description},
			"unit": {&r.Unit, req.Unit}, "currency": {&r.Currency, req.Currency}} {
			if pair.v != nil {
				*pair.dst, values[col] = *pair.v, *pair.v
			}
		}
		if req.Quantity != nil {
			r.Quantity, values["quantity"] = req.Quantity, *req.Quantity
		}
		if req.ValuationOre != nil {
			r.ValuationOre, values["valuation_ore"] = req.ValuationOre, *req.ValuationOre
		}
		if req.PeriodStart != nil {
			r.PeriodStart = dates.Parse(&f, "period_start", *req.PeriodStart)
			values["period_start"] = r.PeriodStart
		}
		if req.PeriodEnd != nil {
			r.PeriodEnd = dates.Parse(&f, "period_end", *req.PeriodEnd)
			values["period_end"] = r.PeriodEnd
		}
		if req.DistrictID != nil {
			r.DistrictID = ptr(*req.DistrictID)
			values["district_id"] = r.DistrictID
		}
		checkCommitment(&f, r)
		if err := s.checkCommitmentRefs(ctx, tx, &f, pt, r); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		return audit.Save(ctx, tx, &out, audit.Change[Commitment]{
			Table: "commitments", Entity: "commitment", ID: commitmentID, Version: version, Values: values,
			Then:  func(string) error { return touch(tx, id) },
			Load:  func(commitmentID string) (Commitment, error) { return s.commitmentIn(ctx, tx, id, commitmentID) },
			Event: audit.Event{Actor: p.Actor(), Action: "commitment.update", EntityType: "commitment", Before: toCommitment(before)},
		})
	})
	return out, err
}

// RemoveCommitment archives a ledger line.
func (s *Service) RemoveCommitment(ctx context.Context, p auth.Principal, id, commitmentID string, version int) error {
	return database.InTx(ctx, s.db, func(tx *gorm.DB) error {
		_, before, err := s.changeableCommitment(ctx, tx, p, id, commitmentID)
		if err != nil {
			return err
		}
		return audit.Save(ctx, tx, nil, audit.Change[any]{
			Table: "commitments", Entity: "commitment", ID: commitmentID, Version: version, Values: map[string]any{"archived_at": gorm.Expr("now()")},
			Then:  func(string) error { return touch(tx, id) },
			Event: audit.Event{Actor: p.Actor(), Action: "commitment.archive", EntityType: "commitment", Before: toCommitment(before)},
		})
	})
}

package auth

import (
	"errors"

	"github.com/google/uuid"
	"gorm.io/gorm"
)

func validID(id string) bool { return uuid.Validate(id) == nil && len(id) == 36 }

func problemIsDuplicate(err error) bool { return errors.Is(err, gorm.ErrDuplicatedKey) }

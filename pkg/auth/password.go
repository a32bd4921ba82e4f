package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"

	"github.com/alexedwards/argon2id"
)

// PasswordParams are the argon2id costs for new password hashes. Hashes carry
// their own parameters, so raising these later re-hashes nothing.
type PasswordParams = argon2id.Params

// DefaultPasswordParams follow OWASP's argon2id recommendation (19 MiB, 2
// passes, 1 lane).
var DefaultPasswordParams = argon2id.Params{Memory: 19 * 1024, Iterations: 2, Parallelism: 1, SaltLength: 16, KeyLength: 32}

// HashPassword hashes a password with argon2id.
func HashPassword(pw string, p PasswordParams) (string, error) {
	return argon2id.CreateHash(pw, &p)
}

// checkPassword compares pw with an argon2id hash.
func checkPassword(pw, hash string) bool {
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	return err == nil && ok
}

// newSecret returns a random URL-safe secret of 32 bytes.
func newSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // the system's random source failing is not recoverable
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashSecret hashes a high-entropy secret (a refresh token, a client secret).
// Unlike passwords these cannot be guessed, so a fast hash is enough, and it
// keeps token issuance cheap.
func hashSecret(s string) []byte {
	sum := sha256.Sum256([]byte(s))
	return sum[:]
}

func hashSecretHex(s string) string { return hex.EncodeToString(hashSecret(s)) }

func secretMatches(s, hexHash string) bool {
	return subtle.ConstantTimeCompare([]byte(hashSecretHex(s)), []byte(hexHash)) == 1
}

// HashClientSecret is how an API client's secret is stored (hex SHA-256), for
// tools that provision clients straight into the database (the benchmark).
func HashClientSecret(secret string) string { return hashSecretHex(secret) }

package problem_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/samverkan/samverkan/pkg/platform/problem"
)

func TestIsNotFound(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"a 404", problem.NotFound("organisation"), true},
		{"a wrapped 404", fmt.Errorf("organisation x: %w", problem.NotFound("organisation")), true},
		{"a 403 is no absence", problem.Forbidden("outside your districts"), false},
		{"a 412 is no absence", problem.Stale(), false},
		{"a 422 is no absence", problem.Unprocessable("invalid", "no"), false},
		{"an error that is no problem", errors.New("connection refused"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := problem.IsNotFound(tc.err); got != tc.want {
				t.Fatalf("IsNotFound(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

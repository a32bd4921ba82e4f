// Package progress lets long work report how far it has come, without the
// work knowing who listens (the import command draws a bar; the API does not).
package progress

import "context"

type key struct{}

// Func is told how many of total are done.
type Func func(done, total int)

// With returns ctx carrying f.
func With(ctx context.Context, f Func) context.Context { return context.WithValue(ctx, key{}, f) }

// Report tells the listener in ctx, if any, how far the work is.
func Report(ctx context.Context, done, total int) {
	if f, ok := ctx.Value(key{}).(Func); ok {
		f(done, total)
	}
}

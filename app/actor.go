package app

import "context"

type actorKey struct{}

// WithActor names, for the audit trail, the person doing the work carried by ctx (the signed-in
// local user of a shared workstation). The store records it beside the computer login.
func WithActor(ctx context.Context, name string) context.Context {
	if name == "" {
		return ctx
	}
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom is the person set by WithActor, if any.
func ActorFrom(ctx context.Context) (string, bool) {
	name, ok := ctx.Value(actorKey{}).(string)
	return name, ok && name != ""
}

//go:build !linux

package sandbox

// platformWorkerEnv: nothing to tune outside Linux (see env_linux.go).
var platformWorkerEnv []string

// Package coaching holds coachmail's domain: coaches, leaders, sessions,
// focus answers, outcomes, commitments and the emails of the coaching cycle,
// with the rules that hold between them.
//
// The package imports no AWS package. It declares the interfaces (ports) that
// the rest of the system needs, and adapters under internal/ implement them:
// internal/dynamo for the Store, for instance. Time always comes from an
// injected Clock so that the cycle can be tested on a fake clock.
package coaching

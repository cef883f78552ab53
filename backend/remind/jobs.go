package remind

import (
	"context"
	"strings"

	"chase.md/backend/xpm"
)

// JobLister lists XPM's current jobs (*xpm.Client).
type JobLister interface {
	CurrentJobs(ctx context.Context, detailed bool) ([]xpm.Job, error)
}

type xpmJobs struct{ l JobLister }

// XPMJobs reads jobs' states from XPM itself: one job.api/current call
// answers for every job of a batch of reminders.
func XPMJobs(l JobLister) JobChecker { return xpmJobs{l} }

func (x xpmJobs) JobStates(ctx context.Context) (map[string]string, error) {
	js, err := x.l.CurrentJobs(ctx, false)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(js))
	for _, j := range js {
		out[strings.ToUpper(strings.TrimSpace(j.ID))] = j.State
	}
	return out, nil
}

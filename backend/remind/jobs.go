package remind

import (
	"context"

	"chase.md/backend/xpm"
)

// JobGetter reads one job from XPM (*xpm.Client).
type JobGetter interface {
	Job(ctx context.Context, number string) (xpm.Job, error)
}

type xpmJobs struct{ g JobGetter }

// XPMJobs checks jobs' states in XPM itself (job.api/get).
func XPMJobs(g JobGetter) JobChecker { return xpmJobs{g} }

func (x xpmJobs) JobState(ctx context.Context, jobID string) (string, error) {
	j, err := x.g.Job(ctx, jobID)
	if err != nil {
		return "", err
	}
	return j.State, nil
}

package xpm

import (
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// StateSource says where a practice's job states came from.
type StateSource string

const (
	// FromStateList: jobstate.api/list answered (every state, with UUIDs).
	FromStateList StateSource = "jobstate.api/list"
	// FromJobs: the method is absent; the states are the distinct <State>
	// values of the current jobs, so states without a current job are missing.
	FromJobs StateSource = "jobs"
)

// StateList calls jobstate.api/list. It returns ErrUnsupported when the
// server does not have the method (it is in the withdrawn spec only): a 404
// or 405, or an ERROR envelope saying the method does not exist. Any other
// ERROR envelope (permissions, a failure inside the method) is returned as
// the *Error it is, so callers do not mistake it for a missing method.
func (c *Client) StateList(ctx context.Context) ([]JobState, error) {
	var r jobStatesResponse
	if err := c.get(ctx, "/jobstate.api/list", nil, &r); err != nil {
		if isUnknownMethod(err) && !errors.Is(err, ErrUnsupported) {
			err = fmt.Errorf("%w: %w", ErrUnsupported, err)
		}
		return nil, err
	}
	out := r.States[:0]
	for _, s := range r.States {
		if s.Name = strings.TrimSpace(s.Name); s.Name != "" {
			out = append(out, s)
		}
	}
	return out, nil
}

// JobStates lists the practice's job states: jobstate.api/list where the
// server has it, otherwise the distinct states of the current jobs. The
// source says which.
func (c *Client) JobStates(ctx context.Context) ([]JobState, StateSource, error) {
	states, err := c.StateList(ctx)
	if err == nil {
		return states, FromStateList, nil
	}
	if !errors.Is(err, ErrUnsupported) {
		return nil, "", err
	}
	jobs, err := c.CurrentJobs(ctx, false)
	if err != nil {
		return nil, "", fmt.Errorf("xpm: job states from current jobs: %w", err)
	}
	return StatesOf(jobs), FromJobs, nil
}

// StatesOf is the distinct states named on jobs, sorted by name. XPM puts
// the state's name on a job, never its UUID or interface code.
func StatesOf(jobs []Job) []JobState {
	seen := map[string]bool{}
	var out []JobState
	for _, j := range jobs {
		n := strings.TrimSpace(j.State)
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		out = append(out, JobState{Name: n})
	}
	sort.Slice(out, func(i, k int) bool { return strings.ToLower(out[i].Name) < strings.ToLower(out[k].Name) })
	return out
}

// CurrentJobs lists the jobs not yet completed (job.api/current); detailed
// adds tasks, milestones and notes.
func (c *Client) CurrentJobs(ctx context.Context, detailed bool) ([]Job, error) {
	var q url.Values
	if detailed {
		q = url.Values{"detailed": {"true"}}
	}
	var r jobsResponse
	if err := c.get(ctx, "/job.api/current", q, &r); err != nil {
		return nil, err
	}
	return r.Jobs, nil
}

// maxRange is the longest creation-date range job.api/list answers.
const maxRange = 365 * 24 * time.Hour

// JobsBetween lists jobs created between from and to (dates, inclusive),
// asking a year at a time because XPM refuses longer ranges. Jobs are
// returned once each, in the order received.
func (c *Client) JobsBetween(ctx context.Context, from, to time.Time) ([]Job, error) {
	from, to = dateOf(from), dateOf(to)
	if to.Before(from) {
		return nil, fmt.Errorf("xpm: jobs between %s and %s: range ends before it starts", from.Format(time.DateOnly), to.Format(time.DateOnly))
	}
	var out []Job
	seen := map[string]bool{}
	for start := from; !start.After(to); {
		// A chunk is at most 365 days end to end, so leap years never overflow "1 year".
		end := start.Add(maxRange - 24*time.Hour)
		if end.After(to) {
			end = to
		}
		q := url.Values{"from": {start.Format("20060102")}, "to": {end.Format("20060102")}}
		var r jobsResponse
		if err := c.get(ctx, "/job.api/list", q, &r); err != nil {
			return nil, fmt.Errorf("xpm: jobs %s-%s: %w", q.Get("from"), q.Get("to"), err)
		}
		for _, j := range r.Jobs {
			if !seen[j.ID] {
				seen[j.ID] = true
				out = append(out, j)
			}
		}
		start = end.AddDate(0, 0, 1)
	}
	return out, nil
}

func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Job fetches one job by its number (J000309), with tasks and notes.
func (c *Client) Job(ctx context.Context, number string) (Job, error) {
	var r jobResponse
	if err := c.get(ctx, "/job.api/get/"+url.PathEscape(number), nil, &r); err != nil {
		return Job{}, err
	}
	return r.Job, nil
}

// JobsForClient lists a client's jobs (job.api/client/{uuid}).
func (c *Client) JobsForClient(ctx context.Context, clientUUID string) ([]Job, error) {
	var r jobsResponse
	if err := c.get(ctx, "/job.api/client/"+url.PathEscape(clientUUID), nil, &r); err != nil {
		return nil, err
	}
	return r.Jobs, nil
}

// stateRequest is the PUT job.api/state body.
type stateRequest struct {
	XMLName xml.Name `xml:"Job"`
	ID      string   `xml:"ID"`
	State   string   `xml:"State"`
}

// SetJobState moves job jobID (J000309) to the state whose Interface Code is
// code (PUT job.api/state). The code is the practice's own, set in XPM's
// admin; the API does not list it, so the practice enters it once in the
// state mapping. It returns the job as XPM sends it back, if it does.
func (c *Client) SetJobState(ctx context.Context, jobID, code string) (Job, error) {
	jobID, code = strings.TrimSpace(jobID), strings.TrimSpace(code)
	if jobID == "" || code == "" {
		return Job{}, fmt.Errorf("xpm: set job state: job ID and state code are required")
	}
	body, err := xml.Marshal(stateRequest{ID: jobID, State: code})
	if err != nil {
		return Job{}, fmt.Errorf("xpm: set job state: %w", err)
	}
	var r jobResponse
	if err := c.call(ctx, "PUT", "/job.api/state", nil, body, &r); err != nil {
		return Job{}, fmt.Errorf("xpm: move job %s to %s: %w", jobID, code, err)
	}
	return r.Job, nil
}

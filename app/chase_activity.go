package app

import (
	"context"
	"fmt"
	"strings"

	"chase.md/backend/activity"
	"chase.md/backend/chase"
	"chase.md/backend/core"
)

// The chase list's actions in the activity log: link decisions, chase
// marks, emails copied and job moves. Logged after the action succeeded;
// the client's name is looked up so the log reads without IDs.

// clientRow finds a chase list row by client key (XPM client UUID or
// contact ID); the zero Row if it is not on the list.
func clientRow(ctx context.Context, ch *chase.Service, key string) chase.Row {
	rows, err := ch.List(ctx, chase.Query{})
	if err != nil {
		return chase.Row{}
	}
	for _, r := range rows {
		if strings.EqualFold(r.ClientKey, key) {
			return r
		}
	}
	return chase.Row{}
}

func (s *ChaseService) logChase(ctx context.Context, sess *core.Session, ch *chase.Service, kind activity.Kind, key, subject, xeroID, detail string) {
	r := clientRow(ctx, ch, key)
	name := r.ClientName
	if name == "" {
		name = key
	}
	sess.Log(activity.Entry{Kind: kind, TenantID: ch.TenantID(), ContactID: r.ContactID, Client: name, Subject: subject,
		XeroID: xeroID, Detail: detail})
}

// EmailCopied records that the chase email for a client was copied to send.
func (s *ChaseService) EmailCopied(clientKey, to string) error {
	ctx, sess, ch, done, err := s.chase()
	if err != nil {
		return err
	}
	defer done()
	detail := "Chase email copied to send."
	if to != "" {
		detail = fmt.Sprintf("Chase email to %s copied to send.", to)
	}
	s.logChase(ctx, sess, ch, activity.Email, clientKey, to, "", detail)
	return nil
}

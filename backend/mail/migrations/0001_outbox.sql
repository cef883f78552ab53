-- Demo mode's outbox (backend/mail): every email chase.md "sent" in the demo
-- practice, kept here instead of leaving the computer. Times are Unix ms (UTC).
CREATE TABLE mail_outbox (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    message_id  TEXT    NOT NULL UNIQUE,
    from_addr   TEXT    NOT NULL,
    reply_to    TEXT    NOT NULL DEFAULT '',
    to_addr     TEXT    NOT NULL,
    subject     TEXT    NOT NULL,
    text_body   TEXT    NOT NULL,
    html_body   TEXT    NOT NULL DEFAULT ''
);

-- Why a file waits in Review beyond its match (filing.ReviewKind):
--   ''           no confident match, or refused by the checks (see refused)
--   'failed'     its upload ended without reaching Xero (refused for good,
--                cancelled): it stays until a person acts or the file changes
--   'unreadable' chase.md cannot read it; it leaves by itself once it can
--   'unfinished' quiet but incomplete for a long time; likewise
ALTER TABLE filing_review ADD COLUMN kind TEXT NOT NULL DEFAULT '';

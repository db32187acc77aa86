-- How Slack's requests to /slack/events fared, one row per running instance: Slack has no API to
-- verify a signing secret, so the doctor judges it by whether the requests Slack sent verified.
-- Counted in memory and written at most every ~15 s and at shutdown; never a secret or a signature.
-- The "streak" columns count the refusals since the instance's last verified request.
CREATE TABLE "SlackRequestTally" (
    "instance" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "verified" INTEGER NOT NULL DEFAULT 0,
    "lastVerifiedAt" TIMESTAMP(3),
    "badSignature" INTEGER NOT NULL DEFAULT 0,
    "lastBadSignatureAt" TIMESTAMP(3),
    "badSignatureStreak" INTEGER NOT NULL DEFAULT 0,
    "badSignatureStreakSince" TIMESTAMP(3),
    "stale" INTEGER NOT NULL DEFAULT 0,
    "lastStaleAt" TIMESTAMP(3),
    "staleStreak" INTEGER NOT NULL DEFAULT 0,
    "staleStreakSince" TIMESTAMP(3),

    CONSTRAINT "SlackRequestTally_pkey" PRIMARY KEY ("instance")
);

-- Rate-limit counters shared by every replica of a service (one table per service schema):
-- one row per throttler key, hit in a single atomic upsert (libs/database PrismaThrottlerStorage).

CREATE TABLE "auth"."rate_limit_bucket" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "auth_rate_limit_bucket_window_idx" ON "auth"."rate_limit_bucket"("window_ends_at");

CREATE TABLE "session"."rate_limit_bucket" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "session_rate_limit_bucket_window_idx" ON "session"."rate_limit_bucket"("window_ends_at");

CREATE TABLE "payment"."rate_limit_bucket" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "payment_rate_limit_bucket_window_idx" ON "payment"."rate_limit_bucket"("window_ends_at");

CREATE TABLE "hcx"."rate_limit_bucket" (
    "key" TEXT NOT NULL,
    "hits" INTEGER NOT NULL,
    "window_ends_at" TIMESTAMPTZ(3) NOT NULL,
    "blocked_until" TIMESTAMPTZ(3),

    CONSTRAINT "rate_limit_bucket_pkey" PRIMARY KEY ("key")
);

CREATE INDEX "hcx_rate_limit_bucket_window_idx" ON "hcx"."rate_limit_bucket"("window_ends_at");

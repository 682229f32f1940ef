-- auth-service: refresh-token policy per client (reusable by default, as NCHL's integration guide
-- expects; rotating with an optional grace window), and one row per issued access token.

-- CreateEnum
CREATE TYPE "auth"."AuthRefreshTokenPolicy" AS ENUM ('reusable', 'rotating');

-- AlterTable: existing clients become reusable (members following NCHL's guide were locked out by rotation).
ALTER TABLE "auth"."client"
    ADD COLUMN "refresh_token_policy" "auth"."AuthRefreshTokenPolicy" NOT NULL DEFAULT 'reusable',
    ADD COLUMN "refresh_grace_seconds" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "auth"."access_token" (
    "jti" TEXT NOT NULL,
    "refresh_token_id" UUID NOT NULL,
    "family_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "access_token_pkey" PRIMARY KEY ("jti")
);

-- CreateIndex
CREATE INDEX "access_token_family_id_idx" ON "auth"."access_token"("family_id");

-- Move the one access token each refresh row recorded so far into the new table.
INSERT INTO "auth"."access_token" ("jti", "refresh_token_id", "family_id", "client_id", "username", "issued_at", "expires_at", "revoked_at")
SELECT "access_jti", "id", "family_id", "client_id", "username", "issued_at", "access_expires_at",
       COALESCE("access_revoked_at", "revoked_at")
FROM "auth"."refresh_token";

-- AlterTable
DROP INDEX "auth"."refresh_token_access_jti_key";
ALTER TABLE "auth"."refresh_token"
    DROP COLUMN "access_jti",
    DROP COLUMN "access_expires_at",
    DROP COLUMN "access_revoked_at",
    ADD COLUMN "rotation_salt" TEXT;

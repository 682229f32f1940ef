-- session-service: participant registry, biller catalogue and NPI Billers sessions (issue #4).

-- CreateEnum
CREATE TYPE "session"."participant_status" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "session"."key_use" AS ENUM ('SIG', 'ENC');

-- CreateEnum
CREATE TYPE "session"."session_state" AS ENUM ('ACTIVE', 'BILL_PREPARED', 'COMPLETED', 'EXPIRED');

-- CreateTable
CREATE TABLE "session"."participant" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "status" "session"."participant_status" NOT NULL DEFAULT 'ACTIVE',
    "allowed_algorithms" JSONB NOT NULL DEFAULT '["PS256"]',
    "host_origins" JSONB NOT NULL DEFAULT '[]',
    "channels" JSONB NOT NULL DEFAULT '[]',
    "enabled_billers" JSONB NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "session"."participant_key" (
    "participant_code" TEXT NOT NULL,
    "kid" TEXT NOT NULL,
    "use" "session"."key_use" NOT NULL,
    "public_key_pem" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_key_pkey" PRIMARY KEY ("participant_code","kid")
);

-- CreateTable
CREATE TABLE "session"."biller" (
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_ne" TEXT NOT NULL,
    "biller_group" TEXT NOT NULL,
    "icon" TEXT NOT NULL,
    "form" JSONB NOT NULL,
    "creditor" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "biller_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "session"."billers_session" (
    "session_id" TEXT NOT NULL,
    "participant_code" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "state" "session"."session_state" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "batch_id" TEXT,
    "instruction_id" TEXT,
    "biller_code" TEXT,
    "amount" TEXT,
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "billers_session_pkey" PRIMARY KEY ("session_id")
);

-- CreateIndex
CREATE INDEX "billers_session_participant_idx" ON "session"."billers_session"("participant_code", "created_at");

-- AddForeignKey
ALTER TABLE "session"."participant_key" ADD CONSTRAINT "participant_key_participant_code_fkey" FOREIGN KEY ("participant_code") REFERENCES "session"."participant"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "session"."billers_session" ADD CONSTRAINT "billers_session_participant_code_fkey" FOREIGN KEY ("participant_code") REFERENCES "session"."participant"("code") ON DELETE RESTRICT ON UPDATE CASCADE;

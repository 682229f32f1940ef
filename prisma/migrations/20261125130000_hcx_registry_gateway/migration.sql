-- hcx-gateway: participant registry, protocol audit/replay guard, dead letters, signing keys.

-- CreateEnum
CREATE TYPE "hcx"."HcxParticipantStatus" AS ENUM ('Created', 'Active', 'Inactive', 'Blocked');

-- CreateTable
CREATE TABLE "hcx"."participant" (
    "participant_code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "roles" TEXT[],
    "status" "hcx"."HcxParticipantStatus" NOT NULL DEFAULT 'Created',
    "primary_email" TEXT NOT NULL,
    "primary_mobile" TEXT,
    "endpoint_url" TEXT NOT NULL,
    "encryption_cert" TEXT NOT NULL,
    "signing_cert" TEXT NOT NULL,
    "secret_ciphertext" TEXT NOT NULL,
    "secret_kek_id" TEXT NOT NULL,
    "secret_version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "participant_pkey" PRIMARY KEY ("participant_code")
);

-- CreateTable
CREATE TABLE "hcx"."api_call" (
    "id" UUID NOT NULL,
    "sender_code" TEXT NOT NULL,
    "recipient_code" TEXT NOT NULL,
    "api_call_id" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "workflow_id" TEXT,
    "api_path" TEXT NOT NULL,
    "hcx_status" TEXT,
    "headers" JSONB NOT NULL,
    "delivery_status" TEXT NOT NULL DEFAULT 'accepted',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "accepted_at" TIMESTAMPTZ(3) NOT NULL,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_call_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hcx"."dead_letter" (
    "api_call_row_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "callback_status" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dead_letter_pkey" PRIMARY KEY ("api_call_row_id")
);

-- CreateTable
CREATE TABLE "hcx"."signing_key" (
    "kid" TEXT NOT NULL,
    "public_jwk" JSONB NOT NULL,
    "private_key_ciphertext" TEXT NOT NULL,
    "kek_id" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signing_key_pkey" PRIMARY KEY ("kid")
);

-- CreateIndex
CREATE INDEX "hcx_participant_status_idx" ON "hcx"."participant"("status");

-- CreateIndex
CREATE INDEX "hcx_api_call_correlation_idx" ON "hcx"."api_call"("correlation_id");

-- CreateIndex
CREATE INDEX "hcx_api_call_workflow_idx" ON "hcx"."api_call"("workflow_id");

-- CreateIndex
CREATE INDEX "hcx_api_call_accepted_at_idx" ON "hcx"."api_call"("accepted_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_call_sender_code_api_call_id_key" ON "hcx"."api_call"("sender_code", "api_call_id");

-- AddForeignKey
ALTER TABLE "hcx"."dead_letter" ADD CONSTRAINT "dead_letter_api_call_row_id_fkey" FOREIGN KEY ("api_call_row_id") REFERENCES "hcx"."api_call"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

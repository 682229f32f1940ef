-- hcx-gateway: HCX registry profile fields (spec attributes without a column of their own) and the
-- client_secret delivery outbox (one row per secret to deliver; the secret itself stays in
-- participant.secret_ciphertext).

-- AlterTable
ALTER TABLE "hcx"."participant" ADD COLUMN "profile" JSONB NOT NULL DEFAULT '{}';

-- CreateTable
CREATE TABLE "hcx"."secret_delivery" (
    "id" UUID NOT NULL,
    "participant_code" TEXT NOT NULL,
    "secret_version" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),

    CONSTRAINT "secret_delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "hcx_secret_delivery_due_idx" ON "hcx"."secret_delivery"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "hcx_secret_delivery_participant_idx" ON "hcx"."secret_delivery"("participant_code");

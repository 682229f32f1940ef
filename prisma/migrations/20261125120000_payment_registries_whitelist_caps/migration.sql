-- payment-service: member, bank and account registries, debtor account whitelist, debit caps,
-- batches and transactions, bills prepared by NPI Billers sessions (issue #6).

-- CreateEnum
CREATE TYPE "payment"."member_kind" AS ENUM ('BANK', 'NON_BANK');

-- CreateEnum
CREATE TYPE "payment"."member_status" AS ENUM ('ACTIVE', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "payment"."whitelist_status" AS ENUM ('ACCEPTED', 'SUSPENDED');

-- CreateEnum
CREATE TYPE "payment"."batch_kind" AS ENUM ('CIPS', 'NCHLIPS', 'BILLPAY');

-- CreateEnum
CREATE TYPE "payment"."batch_status" AS ENUM ('ACCEPTED', 'REJECTED', 'REVERSED');

-- CreateEnum
CREATE TYPE "payment"."credit_status" AS ENUM ('ACTC', 'ACSP', 'ACSC', 'RJCT');

-- CreateTable
CREATE TABLE "payment"."member" (
    "id" UUID NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "payment"."member_kind" NOT NULL,
    "bank_id" TEXT,
    "oauth_client_id" TEXT,
    "user_id" TEXT NOT NULL,
    "status" "payment"."member_status" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."member_certificate" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "certificate_pem" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "not_before" TIMESTAMPTZ(3) NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "member_certificate_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."bank" (
    "bank_id" TEXT NOT NULL,
    "bank_name" TEXT NOT NULL,

    CONSTRAINT "bank_pkey" PRIMARY KEY ("bank_id")
);

-- CreateTable
CREATE TABLE "payment"."branch" (
    "bank_id" TEXT NOT NULL,
    "branch_id" TEXT NOT NULL,
    "branch_name" TEXT NOT NULL,

    CONSTRAINT "branch_pkey" PRIMARY KEY ("bank_id","branch_id")
);

-- CreateTable
CREATE TABLE "payment"."known_account" (
    "bank_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "branch_id" TEXT NOT NULL,
    "account_name" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NPR',

    CONSTRAINT "known_account_pkey" PRIMARY KEY ("bank_id","account_id")
);

-- CreateTable
CREATE TABLE "payment"."whitelist_entry" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "bank_id" TEXT NOT NULL,
    "branch_id" TEXT NOT NULL,
    "account_id" TEXT NOT NULL,
    "account_name" TEXT NOT NULL,
    "letter_number" TEXT NOT NULL,
    "letter_date" DATE NOT NULL,
    "letter_issuing_bank" TEXT NOT NULL,
    "letter_document_hash" TEXT NOT NULL,
    "status" "payment"."whitelist_status" NOT NULL DEFAULT 'ACCEPTED',
    "effective_from" TIMESTAMPTZ(3) NOT NULL,
    "effective_to" TIMESTAMPTZ(3),
    "recorded_by" TEXT NOT NULL,
    "suspended_by" TEXT,
    "suspended_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "whitelist_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."debit_cap" (
    "id" UUID NOT NULL,
    "member_id" UUID NOT NULL,
    "bank_id" TEXT NOT NULL,
    "cap_amount" DECIMAL(16,2) NOT NULL,
    "per_transaction_limit" DECIMAL(16,2),
    "updated_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "debit_cap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."debit_cap_usage" (
    "cap_id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "used" DECIMAL(16,2) NOT NULL DEFAULT 0,

    CONSTRAINT "debit_cap_usage_pkey" PRIMARY KEY ("cap_id","session_id")
);

-- CreateTable
CREATE TABLE "payment"."batch" (
    "id" BIGSERIAL NOT NULL,
    "member_id" UUID NOT NULL,
    "batch_id" TEXT NOT NULL,
    "kind" "payment"."batch_kind" NOT NULL,
    "status" "payment"."batch_status" NOT NULL,
    "debtor_agent" TEXT NOT NULL,
    "debtor_branch" TEXT NOT NULL,
    "debtor_account" TEXT NOT NULL,
    "debtor_name" TEXT,
    "batch_amount" DECIMAL(16,2) NOT NULL,
    "batch_currency" TEXT NOT NULL,
    "category_purpose" TEXT,
    "batch_count" INTEGER NOT NULL,
    "cap_id" UUID,
    "settlement_session_id" TEXT,
    "response_code" TEXT NOT NULL,
    "response_message" TEXT NOT NULL,
    "debit_status" TEXT,
    "request_hash" TEXT NOT NULL,
    "http_status" INTEGER NOT NULL,
    "response_body" JSONB NOT NULL,
    "user_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."transaction" (
    "id" BIGSERIAL NOT NULL,
    "batch_row_id" BIGINT NOT NULL,
    "instruction_id" TEXT NOT NULL,
    "end_to_end_id" TEXT,
    "amount" DECIMAL(16,2) NOT NULL,
    "purpose" TEXT,
    "creditor_agent" TEXT NOT NULL,
    "creditor_branch" TEXT NOT NULL,
    "creditor_name" TEXT,
    "creditor_account" TEXT NOT NULL,
    "credit_status" "payment"."credit_status",
    "response_code" TEXT NOT NULL,
    "response_message" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "payment"."prepared_bill" (
    "participant_code" TEXT NOT NULL,
    "session_id" TEXT NOT NULL,
    "batch_id" TEXT NOT NULL,
    "instruction_id" TEXT NOT NULL,
    "end_to_end_id" TEXT,
    "transaction_id" TEXT,
    "app_id" TEXT,
    "ref_id" TEXT,
    "amount" DECIMAL(16,2) NOT NULL,
    "biller_code" TEXT NOT NULL,
    "creditor_agent" TEXT,
    "creditor_branch" TEXT,
    "creditor_account" TEXT,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "confirmed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prepared_bill_pkey" PRIMARY KEY ("participant_code","batch_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_code_key" ON "payment"."member"("code");

-- CreateIndex
CREATE UNIQUE INDEX "member_oauth_client_id_key" ON "payment"."member"("oauth_client_id");

-- CreateIndex
CREATE UNIQUE INDEX "member_user_id_key" ON "payment"."member"("user_id");

-- CreateIndex
CREATE UNIQUE INDEX "member_certificate_fingerprint_key" ON "payment"."member_certificate"("fingerprint");

-- CreateIndex
CREATE INDEX "member_certificate_member_idx" ON "payment"."member_certificate"("member_id");

-- CreateIndex
CREATE UNIQUE INDEX "whitelist_entry_member_bank_account_key" ON "payment"."whitelist_entry"("member_id", "bank_id", "account_id");

-- CreateIndex
CREATE UNIQUE INDEX "debit_cap_member_bank_key" ON "payment"."debit_cap"("member_id", "bank_id");

-- CreateIndex
CREATE INDEX "batch_member_created_idx" ON "payment"."batch"("member_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "batch_member_batch_id_key" ON "payment"."batch"("member_id", "batch_id");

-- CreateIndex
CREATE UNIQUE INDEX "transaction_batch_instruction_key" ON "payment"."transaction"("batch_row_id", "instruction_id");

-- AddForeignKey
ALTER TABLE "payment"."member_certificate" ADD CONSTRAINT "member_certificate_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "payment"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."branch" ADD CONSTRAINT "branch_bank_id_fkey" FOREIGN KEY ("bank_id") REFERENCES "payment"."bank"("bank_id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."whitelist_entry" ADD CONSTRAINT "whitelist_entry_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "payment"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."debit_cap" ADD CONSTRAINT "debit_cap_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "payment"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."debit_cap_usage" ADD CONSTRAINT "debit_cap_usage_cap_id_fkey" FOREIGN KEY ("cap_id") REFERENCES "payment"."debit_cap"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."batch" ADD CONSTRAINT "batch_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "payment"."member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "payment"."transaction" ADD CONSTRAINT "transaction_batch_row_id_fkey" FOREIGN KEY ("batch_row_id") REFERENCES "payment"."batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

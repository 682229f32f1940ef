-- payment-service: the bank directory as data (list flags), charge slabs per app, auto-release
-- limits, and the charge recorded with each transaction.

-- AlterTable
ALTER TABLE "payment"."bank" ADD COLUMN     "account_validation_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "auto_reversal_enabled" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "cips_enabled" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "ips_enabled" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "payment"."transaction" ADD COLUMN     "app_id" TEXT,
ADD COLUMN     "charge_amount" DECIMAL(16,2) NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "payment"."charge_slab" (
    "app_id" TEXT NOT NULL,
    "max_amount" DECIMAL(16,2) NOT NULL,
    "scheme" TEXT NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NPR',
    "min_charge_amount" DECIMAL(16,2) NOT NULL,
    "max_charge_amount" DECIMAL(16,2) NOT NULL,
    "percent" DECIMAL(7,4) NOT NULL,

    CONSTRAINT "charge_slab_pkey" PRIMARY KEY ("app_id","max_amount")
);

-- CreateTable
CREATE TABLE "payment"."auto_release_limit" (
    "bank_id" TEXT NOT NULL,
    "category_purpose" TEXT NOT NULL,
    "max_amount" DECIMAL(16,2) NOT NULL,
    "currency" TEXT NOT NULL DEFAULT 'NPR',
    "status" TEXT NOT NULL,

    CONSTRAINT "auto_release_limit_pkey" PRIMARY KEY ("bank_id","category_purpose")
);

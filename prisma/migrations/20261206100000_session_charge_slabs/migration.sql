-- session-service's copy of the NCHL charge slabs per app (from payments.directory.changed.v1), so
-- the Billers npiObject carries the charge the payment will take.

CREATE TABLE "session"."charge_slab" (
    "app_id" TEXT NOT NULL,
    "slabs" JSONB NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "charge_slab_pkey" PRIMARY KEY ("app_id")
);

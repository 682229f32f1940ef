-- hcx-gateway: HCX notification subscriptions, the notification audit (deliveries are api_call rows)
-- and the once-per-window certificate expiry notices.

-- CreateTable
CREATE TABLE "hcx"."notification_subscription" (
    "subscription_id" TEXT NOT NULL,
    "topic_code" TEXT NOT NULL,
    "subscriber_code" TEXT NOT NULL,
    "sender_code" TEXT NOT NULL,
    "status" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_subscription_pkey" PRIMARY KEY ("subscription_id")
);

-- CreateTable
CREATE TABLE "hcx"."notification" (
    "id" UUID NOT NULL,
    "sender_code" TEXT NOT NULL,
    "correlation_id" TEXT NOT NULL,
    "topic_code" TEXT NOT NULL,
    "recipient_type" TEXT,
    "recipients" TEXT[],
    "headers" JSONB NOT NULL,
    "deliveries" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hcx"."certificate_expiry_notice" (
    "participant_code" TEXT NOT NULL,
    "certificate" TEXT NOT NULL,
    "not_after" TIMESTAMPTZ(3) NOT NULL,
    "notified_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "certificate_expiry_notice_pkey" PRIMARY KEY ("participant_code", "certificate", "not_after")
);

-- CreateIndex
CREATE UNIQUE INDEX "notification_subscription_topic_subscriber_sender_key" ON "hcx"."notification_subscription"("topic_code", "subscriber_code", "sender_code");

-- CreateIndex
CREATE INDEX "hcx_notification_subscription_fanout_idx" ON "hcx"."notification_subscription"("topic_code", "sender_code", "status");

-- CreateIndex
CREATE INDEX "hcx_notification_subscription_subscriber_idx" ON "hcx"."notification_subscription"("subscriber_code");

-- CreateIndex
CREATE UNIQUE INDEX "notification_sender_code_correlation_id_key" ON "hcx"."notification"("sender_code", "correlation_id");

-- CreateIndex
CREATE INDEX "hcx_notification_topic_idx" ON "hcx"."notification"("topic_code", "created_at");

-- CreateIndex
CREATE INDEX "hcx_notification_created_at_idx" ON "hcx"."notification"("created_at");

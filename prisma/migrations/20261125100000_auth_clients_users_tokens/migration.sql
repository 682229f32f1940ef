-- auth-service: OAuth clients with source CIDRs, member users, refresh-token families.

-- CreateEnum
CREATE TYPE "auth"."AuthClientStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "auth"."AuthUserStatus" AS ENUM ('ACTIVE', 'DISABLED');

-- CreateEnum
CREATE TYPE "auth"."AuthClientAuthMethod" AS ENUM ('client_secret_basic', 'client_secret_post');

-- CreateTable
CREATE TABLE "auth"."client" (
    "id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "secret_hash" TEXT NOT NULL,
    "auth_method" "auth"."AuthClientAuthMethod" NOT NULL DEFAULT 'client_secret_basic',
    "status" "auth"."AuthClientStatus" NOT NULL DEFAULT 'ACTIVE',
    "member_code" TEXT,
    "allowed_cidrs" TEXT[],
    "scopes" TEXT[],
    "grant_types" TEXT[],
    "access_token_ttl_seconds" INTEGER,
    "refresh_token_ttl_seconds" INTEGER,
    "revision" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "client_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."user" (
    "id" UUID NOT NULL,
    "client_row_id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "status" "auth"."AuthUserStatus" NOT NULL DEFAULT 'ACTIVE',
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "auth"."refresh_token" (
    "id" UUID NOT NULL,
    "token_hash" TEXT NOT NULL,
    "family_id" UUID NOT NULL,
    "client_id" TEXT NOT NULL,
    "user_id" UUID NOT NULL,
    "username" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "access_jti" TEXT NOT NULL,
    "access_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "access_revoked_at" TIMESTAMPTZ(3),
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "retired_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "client_client_id_key" ON "auth"."client"("client_id");

-- CreateIndex
CREATE UNIQUE INDEX "user_client_row_id_username_key" ON "auth"."user"("client_row_id", "username");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_token_token_hash_key" ON "auth"."refresh_token"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_token_access_jti_key" ON "auth"."refresh_token"("access_jti");

-- CreateIndex
CREATE INDEX "refresh_token_family_id_idx" ON "auth"."refresh_token"("family_id");

-- CreateIndex
CREATE INDEX "refresh_token_client_id_username_idx" ON "auth"."refresh_token"("client_id", "username");

-- AddForeignKey
ALTER TABLE "auth"."user" ADD CONSTRAINT "user_client_row_id_fkey" FOREIGN KEY ("client_row_id") REFERENCES "auth"."client"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

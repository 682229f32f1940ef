/**
 * Port for single-use token identifiers (`jti`, or `session_id` for NPI Billers launch tokens).
 *
 * `markUsed` must be atomic: of two concurrent calls with the same key exactly one returns true.
 * Services implement it over PostgreSQL with a unique constraint, e.g.
 *   INSERT INTO used_token (key, expires_at) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING
 * and return whether a row was inserted; rows past `expires_at` may be purged (after that the token
 * fails its `exp`/age check anyway, when it has one).
 *
 * Keys are opaque, fixed-length strings (base64url of a SHA-256 over sender, claim name and value),
 * safe for a btree index and free of claim values.
 */
export interface ReplayStore {
  /** Records `key` until `expiresAt`; false if it was already recorded (the token is a replay). */
  markUsed(key: string, expiresAt: Date): Promise<boolean>;
}

-- Outbox relays wake on commit instead of polling: a statement-level trigger on each service's
-- outbox table NOTIFYs "outbox_<schema>". PostgreSQL delivers a NOTIFY only when (and if) the
-- writing transaction commits, and folds identical ones within a transaction into one.
CREATE OR REPLACE FUNCTION "auth"."outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_auth', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "auth"."outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "auth"."outbox_event_notify"();

CREATE OR REPLACE FUNCTION "session"."outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_session', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "session"."outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "session"."outbox_event_notify"();

CREATE OR REPLACE FUNCTION "payment"."outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_payment', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "payment"."outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "payment"."outbox_event_notify"();

CREATE OR REPLACE FUNCTION "hcx"."outbox_event_notify"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox_hcx', '');
  RETURN NULL;
END
$$;
CREATE TRIGGER "outbox_event_notify" AFTER INSERT ON "hcx"."outbox_event" FOR EACH STATEMENT EXECUTE FUNCTION "hcx"."outbox_event_notify"();

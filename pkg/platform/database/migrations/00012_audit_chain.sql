-- The audit trail is hash-chained per stream (an entity: entity_type and
-- entity_id): each event carries its place in the stream (seq), the hash of
-- the event before it and its own hash over its content and that one. An
-- event altered afterwards, or taken out of the middle of its stream, no
-- longer matches; `samverkan audit verify` finds the first such link.
--
-- The hash is SHA-256 over the event's fields as text, joined by the unit
-- separator (U+001F), in this order: id, stream, seq, occurred_at in
-- microseconds since 1970, actor_type, actor_id, action, entity_type,
-- entity_id, before and after as jsonb text ('' when absent), request_id,
-- ip, idempotency_key, and the previous hash in hex ('' for the first).
-- pkg/audit computes the same in Go to verify it.
--
-- Events also keep the Idempotency-Key of the request that made them, so
-- that a repeated request can tell, after a crash, that its change was
-- committed.

-- +goose Up
-- Chaining the events already there may take longer than the service's
-- statement timeout on a large trail (100,000 events: seconds).
SET LOCAL statement_timeout = 0;
ALTER TABLE audit_events
    ADD COLUMN idempotency_key text NOT NULL DEFAULT '',
    ADD COLUMN stream          text,
    ADD COLUMN seq             bigint,
    ADD COLUMN prev_hash       bytea,
    ADD COLUMN hash            bytea;

-- +goose StatementBegin
CREATE FUNCTION audit_event_hash(e audit_events) RETURNS bytea LANGUAGE sql STABLE AS $$
    SELECT sha256(convert_to(concat_ws(chr(31),
        e.id::text, e.stream, e.seq::text, (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text,
        e.actor_type, e.actor_id, e.action, e.entity_type, e.entity_id,
        coalesce(e.before::text, ''), coalesce(e.after::text, ''), e.request_id, e.ip, e.idempotency_key,
        coalesce(encode(e.prev_hash, 'hex'), '')), 'UTF8'))
$$;

-- Links a new event to the last of its stream. The lock serialises writers
-- of one stream until they commit, so no two events claim the same place.
CREATE FUNCTION audit_events_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last audit_events;
BEGIN
    NEW.stream := NEW.entity_type || ':' || NEW.entity_id;
    PERFORM pg_advisory_xact_lock(hashtextextended(NEW.stream, 7261));
    SELECT * INTO last FROM audit_events WHERE stream = NEW.stream ORDER BY seq DESC LIMIT 1;
    NEW.seq := coalesce(last.seq, 0) + 1;
    NEW.prev_hash := last.hash;
    NEW.hash := audit_event_hash(NEW);
    RETURN NEW;
END
$$;

-- Chains events that have no hash yet (those written before this
-- migration, or loaded in bulk with triggers off), stream by stream in the
-- order they were written.
CREATE FUNCTION audit_chain_backfill() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    e audit_events;
    prev_stream text := NULL;
    prev_seq bigint;
    prev bytea;
    n bigint := 0;
BEGIN
    ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change;
    FOR e IN SELECT * FROM audit_events WHERE hash IS NULL ORDER BY entity_type || ':' || entity_id, id LOOP
        IF prev_stream IS DISTINCT FROM e.entity_type || ':' || e.entity_id THEN
            prev_stream := e.entity_type || ':' || e.entity_id;
            SELECT seq, hash INTO prev_seq, prev FROM audit_events
                WHERE stream = prev_stream AND hash IS NOT NULL ORDER BY seq DESC LIMIT 1;
            prev_seq := coalesce(prev_seq, 0);
        END IF;
        e.stream := prev_stream;
        e.seq := prev_seq + 1;
        e.prev_hash := prev;
        e.hash := audit_event_hash(e);
        UPDATE audit_events SET stream = e.stream, seq = e.seq, prev_hash = e.prev_hash, hash = e.hash WHERE id = e.id;
        prev_seq := e.seq;
        prev := e.hash;
        n := n + 1;
    END LOOP;
    ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_change;
    RETURN n;
END
$$;
-- +goose StatementEnd

REVOKE EXECUTE ON FUNCTION audit_chain_backfill() FROM PUBLIC;
CREATE UNIQUE INDEX audit_events_stream ON audit_events (stream, seq);
SELECT audit_chain_backfill();
CREATE TRIGGER audit_events_chain BEFORE INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION audit_events_chain();
CREATE INDEX audit_events_idempotency ON audit_events (actor_type, actor_id, idempotency_key) WHERE idempotency_key <> '';

-- +goose Down
DROP INDEX audit_events_idempotency;
DROP TRIGGER audit_events_chain ON audit_events;
DROP INDEX audit_events_stream;
DROP FUNCTION audit_chain_backfill();
DROP FUNCTION audit_events_chain();
DROP FUNCTION audit_event_hash(audit_events);
ALTER TABLE audit_events DROP COLUMN hash, DROP COLUMN prev_hash, DROP COLUMN seq, DROP COLUMN stream, DROP COLUMN idempotency_key;

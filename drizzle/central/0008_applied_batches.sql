-- Exactly once at one row per pushed batch, not one per operation (issue 12, "Server work per scan").
-- applied_batches keeps, per batch a station pushed, its seq range (first_seq..last_seq, contiguous: a push
-- applies last_applied_seq + 1, + 2, ... and stops at a gap), the operations' ids and payload hashes in seq order,
-- and the results it answered for them (those that were not simply "applied", each with its seq). Every rule of
-- 0005 holds as it was: a resent operation gets its stored results, the same seq with another id or hash is a
-- divergence, hello compares the last seq's id, recovery finds the operations it applied by id, and an operation
-- applied before 0005 (no id stored) is still compared by the scan the centre recorded at its seq.
-- The rows of applied_ops move here (consecutive seqs of one incarnation, at most 500 a row) and the table goes.
CREATE TABLE "applied_batches" (
	"station_id" uuid NOT NULL,
	"first_seq" bigint NOT NULL,
	"last_seq" bigint NOT NULL,
	"op_ids" text[] NOT NULL,
	"hashes" text[] NOT NULL,
	"incarnation" integer NOT NULL,
	"results" jsonb,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applied_batches_pk" PRIMARY KEY ("station_id", "last_seq")
);
--> statement-breakpoint
WITH isl AS (
  SELECT a.*, a.seq - row_number() OVER (PARTITION BY a.station_id, a.incarnation ORDER BY a.seq) AS island
  FROM applied_ops a),
g AS (
  SELECT station_id, incarnation, min(seq) AS first_seq, max(seq) AS last_seq,
    array_agg(op_id ORDER BY seq) AS op_ids, array_agg(hash ORDER BY seq) AS hashes,
    jsonb_agg(result ORDER BY seq) FILTER (WHERE result IS NOT NULL) AS nested, min(applied_at) AS applied_at
  FROM isl GROUP BY station_id, incarnation, island, seq / 500)
INSERT INTO applied_batches (station_id, first_seq, last_seq, op_ids, hashes, incarnation, results, applied_at)
SELECT g.station_id, g.first_seq, g.last_seq, g.op_ids, g.hashes, g.incarnation,
  (SELECT jsonb_agg(e) FROM jsonb_array_elements(g.nested) r, jsonb_array_elements(r) e), g.applied_at
FROM g;
--> statement-breakpoint
DROP TABLE "applied_ops";
--> statement-breakpoint
-- The operation the centre applied at (station, seq), from the one batch whose range holds it; no row when none
-- does (never pushed, or applied before 0005).
CREATE FUNCTION public.applied_op(p_station uuid, p_seq bigint)
RETURNS TABLE (seq bigint, op_id text, hash text, result jsonb) LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
  SELECT p_seq, b.op_ids[p_seq - b.first_seq + 1], b.hashes[p_seq - b.first_seq + 1],
    (SELECT jsonb_agg(x) FROM jsonb_array_elements(b.results) x WHERE (x->>'seq')::bigint = p_seq)
  FROM (SELECT * FROM applied_batches a WHERE a.station_id = p_station AND a.last_seq >= p_seq
    ORDER BY a.last_seq LIMIT 1) b
  WHERE b.first_seq <= p_seq
$$;
--> statement-breakpoint
-- As in 0005, reading applied_batches.
CREATE OR REPLACE FUNCTION public.divergence_in(st public.stations, p_ops jsonb) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('reason', CASE WHEN a.seq IS NOT NULL THEN 'different_op' ELSE 'different_scan' END,
    'seq', s.seq, 'centralOpId', a.op_id, 'stationOpId', s.id)
  FROM (SELECT (v->>'seq')::bigint AS seq, v->>'id' AS id, v->>'hash' AS hash,
      v->'payload'->'scan'->>'id' AS scan_id
    FROM jsonb_array_elements(p_ops) v) s
  LEFT JOIN LATERAL applied_op(st.id, s.seq) a ON true
  LEFT JOIN LATERAL (SELECT x.id FROM scans x WHERE x.station_id = st.id AND x.seq = s.seq LIMIT 1) c
    ON a.seq IS NULL
  WHERE s.seq <= st.last_applied_seq
    AND ((a.seq IS NOT NULL AND (a.op_id IS DISTINCT FROM s.id OR a.hash IS DISTINCT FROM s.hash))
      OR (a.seq IS NULL AND c.id IS NOT NULL AND c.id::text IS DISTINCT FROM s.scan_id))
  ORDER BY s.seq LIMIT 1
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.resent_results(p_station uuid, p_seqs bigint[]) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT coalesce(jsonb_agg(r.res ORDER BY r.seq), '[]'::jsonb) FROM (
    SELECT a.seq, x || jsonb_build_object('resent', true) AS res
    FROM unnest(p_seqs) q, applied_op(p_station, q) a, jsonb_array_elements(a.result) x
    WHERE a.result IS NOT NULL
    UNION ALL
    SELECT c.seq, jsonb_build_object('seq', c.seq, 'status', 'duplicate', 'resent', true, 'conflicts',
      jsonb_agg(jsonb_build_object('conflictId', c.id, 'kind', c.kind, 'local', c.local, 'central', c.central)
        ORDER BY c.id))
    FROM conflicts c
    WHERE c.station_id = p_station AND c.seq = ANY (p_seqs)
      AND NOT EXISTS (SELECT 1 FROM applied_op(p_station, c.seq))
    GROUP BY c.seq) r
$$;
--> statement-breakpoint
-- The operations of a batch applied now (p_from < seq <= p_to) as one row, with their results. push_as passes
-- the batch's seqs, ids and hashes in seq order and applies the contiguous run after the resent ones (those at
-- or below p_from), so the run's ids and hashes are one slice of each array.
CREATE OR REPLACE FUNCTION public.remember_ops(st public.stations, p_seqs bigint[], p_ids text[], p_hashes text[],
  p_from bigint, p_to bigint, p_results jsonb)
RETURNS void LANGUAGE sql SET search_path = public, pg_temp AS $$
  INSERT INTO applied_batches (station_id, first_seq, last_seq, op_ids, hashes, incarnation, results)
  SELECT st.id, p_from + 1, p_to, p_ids[x.k + 1:x.k + (p_to - p_from)], p_hashes[x.k + 1:x.k + (p_to - p_from)],
    st.incarnation,
    CASE WHEN p_results <> '[]'::jsonb THEN
      (SELECT jsonb_agg(r) FROM jsonb_array_elements(p_results) r
       WHERE (r->>'seq')::bigint > p_from AND (r->>'seq')::bigint <= p_to) END
  FROM (SELECT count(*)::int AS k FROM unnest(p_seqs) q WHERE q <= p_from) x
  WHERE p_to > p_from
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.hello(p_station uuid, p_proof text, p_protocol int, p_incarnation int,
  p_last_seq bigint, p_last_id text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; d jsonb; known text;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_of(p_station, p_proof, p_incarnation, false);
  IF p_last_seq < st.last_applied_seq THEN
    d := jsonb_build_object('reason', 'behind', 'seq', p_last_seq, 'lastAppliedSeq', st.last_applied_seq);
  ELSIF p_last_id IS NOT NULL AND p_last_seq <= st.last_applied_seq THEN
    SELECT a.op_id INTO known FROM applied_op(st.id, p_last_seq) a;
    IF FOUND AND known <> p_last_id THEN
      d := jsonb_build_object('reason', 'different_op', 'seq', p_last_seq, 'centralOpId', known,
        'stationOpId', p_last_id);
    END IF;
  END IF;
  IF d IS NOT NULL THEN PERFORM note_divergence(st.id, d); END IF;
  RETURN jsonb_build_object('protocol', 2, 'name', st.name, 'dispatchArea', st.dispatch_area,
    'parentCapacity', st.parent_capacity, 'lastAppliedSeq', st.last_applied_seq, 'incarnation', st.incarnation,
    'diverged', d);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.reject(p_station uuid, p_proof text, p_protocol int, p_incarnation int,
  p_seq bigint, p_id text, p_hash text, p_op text, p_payload jsonb, p_reason text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; cid bigint; d jsonb; res jsonb;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_of(p_station, p_proof, p_incarnation, true);
  d := divergence_in(st, jsonb_build_array(jsonb_build_object('seq', p_seq, 'id', p_id, 'hash', p_hash,
    'payload', p_payload)));
  IF d IS NOT NULL THEN
    PERFORM note_divergence(st.id, d);
    RETURN jsonb_build_object('error', 'diverged', 'diverged', d, 'results', '[]'::jsonb,
      'lastAppliedSeq', st.last_applied_seq);
  END IF;
  IF p_seq <= st.last_applied_seq THEN
    RETURN jsonb_build_object('results', resent_results(st.id, ARRAY[p_seq]), 'lastAppliedSeq', st.last_applied_seq);
  END IF;
  IF p_seq <> st.last_applied_seq + 1 THEN
    RETURN jsonb_build_object('error', 'gap', 'expected', st.last_applied_seq + 1, 'got', p_seq, 'results', '[]'::jsonb);
  END IF;
  cid := record_conflict(st.id, p_seq, p_op, 'invalid_op', p_op, jsonb_build_object('payload',
    p_payload - 'passwordHash' - 'pinHash', 'reason', left(p_reason, 500)), NULL);
  res := jsonb_build_object('seq', p_seq, 'status', 'rejected', 'kind', 'invalid_op', 'conflictId', cid,
    'local', jsonb_build_object('op', p_op, 'reason', left(p_reason, 500)));
  INSERT INTO applied_batches (station_id, first_seq, last_seq, op_ids, hashes, incarnation, results)
  VALUES (st.id, p_seq, p_seq, ARRAY[p_id], ARRAY[p_hash], st.incarnation, jsonb_build_array(res));
  UPDATE stations SET last_applied_seq = p_seq, last_push_at = now() WHERE id = st.id;
  RETURN jsonb_build_object('results', jsonb_build_array(res), 'lastAppliedSeq', p_seq);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.recover(p_station uuid, p_proof text, p_protocol int, p_claim jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; base bigint; applied jsonb; inc int;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_by_proof(p_station, p_proof, true);
  -- The station's applied operations by id, read once (each batch's arrays unpacked once).
  WITH mine AS (
    SELECT b.first_seq + o.n - 1 AS seq, o.op_id
    FROM applied_batches b, unnest(b.op_ids) WITH ORDINALITY AS o(op_id, n)
    WHERE b.station_id = st.id)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id,
      'results', coalesce((SELECT a.result FROM applied_op(st.id, m.seq) a), '[]'::jsonb))
      ORDER BY u.ord), '[]'::jsonb)
  INTO applied
  FROM jsonb_array_elements(coalesce(p_claim->'unsent', '[]'::jsonb)) WITH ORDINALITY AS v(x, ord),
    LATERAL (SELECT v.x->>'id' AS id, v.x->>'scanId' AS scan_id, v.ord) u
  LEFT JOIN (SELECT DISTINCT ON (mine.op_id) mine.op_id, mine.seq FROM mine ORDER BY mine.op_id, mine.seq) m
    ON m.op_id = u.id
  WHERE m.seq IS NOT NULL
    OR (u.scan_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      AND EXISTS (SELECT 1 FROM scans s WHERE s.id = u.scan_id::uuid AND s.station_id = st.id));
  base := greatest(st.last_applied_seq, coalesce((p_claim->>'maxSentSeq')::bigint, 0));
  UPDATE stations SET incarnation = incarnation + 1, last_applied_seq = base, diverged = NULL, diverged_at = NULL,
    recovered_at = now(), resync_required = true
  WHERE id = st.id RETURNING incarnation INTO inc;
  RETURN jsonb_build_object('incarnation', inc, 'lastAppliedSeq', base, 'applied', applied);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.rebase(p_station uuid, p_proof text, p_protocol int, p_incarnation int,
  p_base bigint)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_of(p_station, p_proof, p_incarnation, true);
  IF st.last_applied_seq = 0 AND NOT EXISTS (SELECT 1 FROM applied_batches a WHERE a.station_id = st.id) THEN
    UPDATE stations SET last_applied_seq = greatest(p_base, 0) WHERE id = st.id;
    RETURN jsonb_build_object('rebased', true, 'lastAppliedSeq', greatest(p_base, 0));
  END IF;
  RETURN jsonb_build_object('rebased', false, 'lastAppliedSeq', st.last_applied_seq);
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.applied_op(uuid, bigint) FROM PUBLIC;
--> statement-breakpoint
-- CREATE OR REPLACE keeps the grants but not a function's settings: every sync.* function runs without JIT.
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'sync'::regnamespace LOOP
    EXECUTE format('ALTER FUNCTION %s SET jit = off', f);
  END LOOP;
END $$;

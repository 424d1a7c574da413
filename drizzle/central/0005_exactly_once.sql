-- Exactly once that survives a restored backup, a twin PC, a lost reply and a re-join (issue 12).
--
-- Every pushed operation carries the station's own id for it (the outbox's uuidv7) and a sha256 of its content;
-- applied_ops keeps both per (station, seq) with the reply the centre gave, so:
-- - an operation resent with the same seq, id and hash is a duplicate and gets the same reply again, corrections
--   included (a lost reply after a refusal no longer leaves the refused link at the station);
-- - the same seq with another id or hash is a divergence (the station was restored from an older backup, or the
--   same enrolment runs on two PCs): the batch is refused, nothing is acknowledged, and the station row says so;
-- - operations applied before this migration have no stored id: for those, the scan the centre recorded at that
--   seq (scans.id) is compared with the scan the operation carries; an operation without a scan, or a seq with no
--   scan at the centre, is taken as the duplicate it was before.
-- A recovery (sync.recover) gives the station a new incarnation; every call of an older one is refused (BL001).
-- Every sync.* function still takes the station's proof second (0004) and finds the station through
-- station_by_proof; the incarnation comes after the protocol (2 from here on; 1 is told to update).
ALTER TABLE "stations" ADD COLUMN "incarnation" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "diverged" jsonb;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "diverged_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "recovered_at" timestamp with time zone;--> statement-breakpoint
CREATE TABLE "applied_ops" (
	"station_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"op_id" text NOT NULL,
	"hash" text NOT NULL,
	"incarnation" integer NOT NULL,
	"result" jsonb,
	"applied_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applied_ops_pk" PRIMARY KEY ("station_id", "seq")
);
--> statement-breakpoint
-- No index on op_id: only a recovery looks ops up by id, through the station's rows; every push pays for each
-- index, about a third of its time here with a second one.
CREATE OR REPLACE FUNCTION public.check_protocol(p_protocol int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_protocol <> 2 THEN
    RAISE EXCEPTION 'sync protocol % is not supported; the centre speaks 2', p_protocol USING ERRCODE = '08P01';
  END IF;
END $$;
--> statement-breakpoint
-- The calling station, refused when it is an incarnation a recovery has replaced (a twin PC, or the copy that
-- was restored over): its pushes and pulls would otherwise write or read as the station it no longer is.
CREATE FUNCTION public.station_of(p_station uuid, p_proof text, p_incarnation int, p_lock boolean)
RETURNS public.stations LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE st public.stations;
BEGIN
  st := station_by_proof(p_station, p_proof, p_lock);
  IF p_incarnation IS DISTINCT FROM st.incarnation THEN
    RAISE EXCEPTION 'this copy of station % (incarnation %) was replaced by a recovery (incarnation %)',
      p_station, p_incarnation, st.incarnation USING ERRCODE = 'BL001';
  END IF;
  RETURN st;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.note_divergence(p_station uuid, d jsonb) RETURNS void
LANGUAGE sql SET search_path = public, pg_temp AS $$
  UPDATE stations SET diverged = d, diverged_at = now() WHERE id = p_station
$$;
--> statement-breakpoint
-- The first operation of a batch that the centre applied under the same seq as something else, or null.
CREATE FUNCTION public.divergence_in(st public.stations, p_ops jsonb) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT jsonb_build_object('reason', CASE WHEN a.seq IS NOT NULL THEN 'different_op' ELSE 'different_scan' END,
    'seq', s.seq, 'centralOpId', a.op_id, 'stationOpId', s.id)
  FROM (SELECT (v->>'seq')::bigint AS seq, v->>'id' AS id, v->>'hash' AS hash,
      v->'payload'->'scan'->>'id' AS scan_id
    FROM jsonb_array_elements(p_ops) v) s
  LEFT JOIN applied_ops a ON a.station_id = st.id AND a.seq = s.seq
  LEFT JOIN LATERAL (SELECT x.id FROM scans x WHERE x.station_id = st.id AND x.seq = s.seq LIMIT 1) c
    ON a.seq IS NULL
  WHERE s.seq <= st.last_applied_seq
    AND ((a.seq IS NOT NULL AND (a.op_id IS DISTINCT FROM s.id OR a.hash IS DISTINCT FROM s.hash))
      OR (a.seq IS NULL AND c.id IS NOT NULL AND c.id::text IS DISTINCT FROM s.scan_id))
  ORDER BY s.seq LIMIT 1
$$;
--> statement-breakpoint
-- The reply a resent operation gets: the results stored when it was applied (corrections included), or, for
-- an operation applied before this migration, the conflicts recorded for its seq.
CREATE FUNCTION public.resent_results(p_station uuid, p_seqs bigint[]) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
  SELECT coalesce(jsonb_agg(r.res ORDER BY r.seq), '[]'::jsonb) FROM (
    SELECT a.seq, x || jsonb_build_object('resent', true) AS res
    FROM applied_ops a, jsonb_array_elements(a.result) x
    WHERE a.station_id = p_station AND a.seq = ANY (p_seqs) AND a.result IS NOT NULL
    UNION ALL
    SELECT c.seq, jsonb_build_object('seq', c.seq, 'status', 'duplicate', 'resent', true, 'conflicts',
      jsonb_agg(jsonb_build_object('conflictId', c.id, 'kind', c.kind, 'local', c.local, 'central', c.central)
        ORDER BY c.id))
    FROM conflicts c
    WHERE c.station_id = p_station AND c.seq = ANY (p_seqs)
      AND NOT EXISTS (SELECT 1 FROM applied_ops a WHERE a.station_id = p_station AND a.seq = c.seq)
    GROUP BY c.seq) r
$$;
--> statement-breakpoint
-- Records the operations of a batch that were applied now (p_from < seq <= p_to), each with its results.
CREATE FUNCTION public.remember_ops(st public.stations, p_seqs bigint[], p_ids text[], p_hashes text[],
  p_from bigint, p_to bigint, p_results jsonb)
RETURNS void LANGUAGE sql SET search_path = public, pg_temp AS $$
  INSERT INTO applied_ops (station_id, seq, op_id, hash, incarnation, result)
  SELECT st.id, s.seq, s.id, s.hash, st.incarnation,
    CASE WHEN p_results <> '[]'::jsonb THEN
      (SELECT jsonb_agg(x) FROM jsonb_array_elements(p_results) x WHERE (x->>'seq')::bigint = s.seq) END
  FROM unnest(p_seqs, p_ids, p_hashes) AS s(seq, id, hash)
  WHERE s.seq > p_from AND s.seq <= p_to
$$;
--> statement-breakpoint
-- The 0004 signatures answer a station of that version plainly: its software must be updated.
CREATE OR REPLACE FUNCTION sync.hello(p_station uuid, p_proof text, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.pull(p_station uuid, p_proof text, p_protocol int, p_after_xid text,
  p_after_id bigint, p_limit int) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.reject(p_station uuid, p_proof text, p_protocol int, p_seq bigint, p_op text,
  p_payload jsonb, p_reason text) RETURNS jsonb
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
-- The station reports its highest seq and that operation's id: a station that knows less than the centre
-- applied (restored from an older backup, or a twin that only pulls) or whose last operation is another one is
-- told it diverged, even before it makes a new operation.
CREATE FUNCTION sync.hello(p_station uuid, p_proof text, p_protocol int, p_incarnation int, p_last_seq bigint,
  p_last_id text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; d jsonb; known text;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_of(p_station, p_proof, p_incarnation, false);
  IF p_last_seq < st.last_applied_seq THEN
    d := jsonb_build_object('reason', 'behind', 'seq', p_last_seq, 'lastAppliedSeq', st.last_applied_seq);
  ELSIF p_last_id IS NOT NULL AND p_last_seq <= st.last_applied_seq THEN
    SELECT op_id INTO known FROM applied_ops WHERE station_id = st.id AND seq = p_last_seq;
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
-- One batch {incarnation, ops: [{seq, id, hash, op, payload}]} in one transaction, as in 0004 (the centre's
-- authority over each operation included), and: a divergence refuses the whole batch (nothing applied, nothing
-- acknowledged); resent operations get their stored replies; the operations applied now are remembered with
-- theirs.
CREATE OR REPLACE FUNCTION public.push_as(st public.stations, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp SET plan_cache_mode = force_generic_plan AS $$
DECLARE last bigint; ops sync_op[]; seqs bigint[]; ids text[]; hashes text[]; n int; i int; run_from int := 0;
  results jsonb; one jsonb; err jsonb := NULL; d jsonb;
BEGIN
  IF p_protocol <> 2 OR jsonb_typeof(p_ops) <> 'object' THEN
    RETURN jsonb_build_object('error', 'protocol', 'supported', 2);
  END IF;
  PERFORM set_config('baglink.station', st.id::text, true);
  last := st.last_applied_seq;
  -- The batch read once: the operations, and their seqs, ids and hashes, in seq order.
  SELECT coalesce(array_agg(ROW(x.seq, x.v->>'op', x.v->'payload')::sync_op ORDER BY x.seq), '{}'),
    coalesce(array_agg(x.seq ORDER BY x.seq), '{}'), coalesce(array_agg(x.v->>'id' ORDER BY x.seq), '{}'),
    coalesce(array_agg(x.v->>'hash' ORDER BY x.seq), '{}')
  INTO ops, seqs, ids, hashes
  FROM (SELECT v, (v->>'seq')::bigint AS seq FROM jsonb_array_elements(p_ops->'ops') v) x;
  -- Only a batch that reaches back to applied seqs can hold a divergence.
  IF seqs[1] <= last THEN
    d := divergence_in(st, p_ops->'ops');
    IF d IS NOT NULL THEN
      PERFORM note_divergence(st.id, d);
      RETURN jsonb_build_object('error', 'diverged', 'diverged', d, 'results', '[]'::jsonb, 'lastAppliedSeq', last);
    END IF;
  END IF;
  SELECT count(*) INTO i FROM unnest(seqs) q WHERE q <= last;
  results := CASE WHEN i > 0 THEN resent_results(st.id, seqs[1:i]) ELSE '[]'::jsonb END;
  ops := ops[i + 1:];
  n := coalesce(array_length(ops, 1), 0);
  FOR i IN 1..n LOOP
    IF ops[i].seq <> last + i THEN
      err := jsonb_build_object('error', 'gap', 'expected', last + i, 'got', ops[i].seq);
      n := i - 1;
      EXIT;
    END IF;
  END LOOP;
  i := 1;
  WHILE i <= n LOOP
    IF ops[i].op = 'scan' THEN
      run_from := i;
      WHILE i < n AND ops[i + 1].op = 'scan' LOOP i := i + 1; END LOOP;
      results := results || apply_scan_run(st, ops[run_from:i]);
    ELSE
      one := authorize_op(st, ops[i].seq, ops[i].op, ops[i].payload);
      IF one IS NULL AND ops[i].op = 'user.upsert' THEN
        INSERT INTO audit (station_id, seq, op, payload)
        VALUES (st.id, ops[i].seq, ops[i].op, ops[i].payload - 'passwordHash' - 'pinHash');
        PERFORM upsert_station_user(st, ops[i].payload);
      ELSIF one IS NULL THEN
        one := apply_op(st, ops[i].seq, ops[i].op, ops[i].payload);
      END IF;
      IF one IS NOT NULL THEN results := results || (jsonb_build_object('seq', ops[i].seq) || one); END IF;
    END IF;
    i := i + 1;
  END LOOP;
  PERFORM remember_ops(st, seqs, ids, hashes, last, last + n, results);
  last := last + n;
  UPDATE stations SET last_applied_seq = last, last_push_at = now() WHERE id = st.id;
  RETURN coalesce(err, '{}'::jsonb) || jsonb_build_object('results', results, 'lastAppliedSeq', last);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.push(p_station uuid, p_proof text, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 2 OR jsonb_typeof(p_ops) <> 'object' THEN
    RETURN jsonb_build_object('error', 'protocol', 'supported', 2);
  END IF;
  st := station_of(p_station, p_proof, (p_ops->>'incarnation')::int, true);
  RETURN push_as(st, p_protocol, p_ops);
END $$;
--> statement-breakpoint
-- An operation the centre cannot read (its batch failed on it alone): recorded as rejected under its seq, id and
-- hash, so a resent copy gets the same reply.
CREATE FUNCTION sync.reject(p_station uuid, p_proof text, p_protocol int, p_incarnation int, p_seq bigint,
  p_id text, p_hash text, p_op text, p_payload jsonb, p_reason text)
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
  INSERT INTO applied_ops (station_id, seq, op_id, hash, incarnation, result)
  VALUES (st.id, p_seq, p_id, p_hash, st.incarnation, jsonb_build_array(res));
  UPDATE stations SET last_applied_seq = p_seq, last_push_at = now() WHERE id = st.id;
  RETURN jsonb_build_object('results', jsonb_build_array(res), 'lastAppliedSeq', p_seq);
END $$;
--> statement-breakpoint
-- As in 0004, for the station's current incarnation only (pull_as pages as it did under protocol 1).
CREATE FUNCTION sync.pull(p_station uuid, p_proof text, p_protocol int, p_incarnation int, p_after_xid text,
  p_after_id bigint, p_limit int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  RETURN pull_as(station_of(p_station, p_proof, p_incarnation, false), 1, p_after_xid, p_after_id, p_limit);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.snapshot_start(p_station uuid, p_proof text, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_by_proof(p_station, p_proof, false);
  IF st.resync_required THEN UPDATE stations SET resync_required = false WHERE id = st.id; END IF;
  RETURN jsonb_build_object('xid', pull_horizon()::text,
    'counts', jsonb_build_object(
      'bags', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.bags'::regclass),
      'links', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.links'::regclass)));
END $$;
--> statement-breakpoint
-- Recovery, run by IT on the station ("baglink recover"): a new incarnation (every call of the old one is refused
-- from now on), the divergence cleared, and the answer the station renumbers its unsent operations from:
-- lastAppliedSeq (never below the highest seq the station was ever acknowledged) and which of the operations it
-- still holds as unsent the centre has in fact applied (by id, or by the scan they carry), with their replies.
-- The station then loads the centre's rows again (resync), its own included.
CREATE FUNCTION sync.recover(p_station uuid, p_proof text, p_protocol int, p_claim jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; base bigint; applied jsonb; inc int;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_by_proof(p_station, p_proof, true);
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', u.id, 'results', coalesce(a.result, '[]'::jsonb))
      ORDER BY u.ord), '[]'::jsonb)
  INTO applied
  FROM jsonb_array_elements(coalesce(p_claim->'unsent', '[]'::jsonb)) WITH ORDINALITY AS v(x, ord),
    LATERAL (SELECT v.x->>'id' AS id, v.x->>'scanId' AS scan_id, v.ord) u
  LEFT JOIN applied_ops a ON a.station_id = st.id AND a.op_id = u.id
  WHERE a.seq IS NOT NULL
    OR (u.scan_id ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      AND EXISTS (SELECT 1 FROM scans s WHERE s.id = u.scan_id::uuid AND s.station_id = st.id));
  base := greatest(st.last_applied_seq, coalesce((p_claim->>'maxSentSeq')::bigint, 0));
  UPDATE stations SET incarnation = incarnation + 1, last_applied_seq = base, diverged = NULL, diverged_at = NULL,
    recovered_at = now(), resync_required = true
  WHERE id = st.id RETURNING incarnation INTO inc;
  RETURN jsonb_build_object('incarnation', inc, 'lastAppliedSeq', base, 'applied', applied);
END $$;
--> statement-breakpoint
-- A station joined under a new enrolment still holds its outbox from before: while the centre has applied nothing
-- for this enrolment, it starts from the station's first unsent seq instead of 1 (so the station keeps its seqs).
CREATE FUNCTION sync.rebase(p_station uuid, p_proof text, p_protocol int, p_incarnation int, p_base bigint)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  st := station_of(p_station, p_proof, p_incarnation, true);
  IF st.last_applied_seq = 0 AND NOT EXISTS (SELECT 1 FROM applied_ops a WHERE a.station_id = st.id) THEN
    UPDATE stations SET last_applied_seq = greatest(p_base, 0) WHERE id = st.id;
    RETURN jsonb_build_object('rebased', true, 'lastAppliedSeq', greatest(p_base, 0));
  END IF;
  RETURN jsonb_build_object('rebased', false, 'lastAppliedSeq', st.last_applied_seq);
END $$;
--> statement-breakpoint
-- The station's own scans as the centre holds them, in (seq, id) order after the given key: a recovered station
-- takes back the ones its restored database lacks.
CREATE FUNCTION sync.own_scans(p_station uuid, p_proof text, p_protocol int, p_incarnation int,
  p_after_seq bigint, p_after_id uuid, p_limit int)
RETURNS TABLE (id uuid, seq bigint, at bigint, raw text, code text, action text, outcome text, reason text,
  username text, scanner text, parent_code text, bill_no text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM station_of(p_station, p_proof, p_incarnation, false);
  RETURN QUERY SELECT s.id, s.seq, s.at, s.raw, s.code, s.action, s.outcome, s.reason, s.username, s.scanner,
      s.parent_code, s.bill_no
    FROM scans s
    WHERE s.station_id = p_station
      AND (s.seq, s.id) > (p_after_seq, coalesce(p_after_id, '00000000-0000-0000-0000-000000000000'))
    ORDER BY s.seq, s.id LIMIT least(greatest(p_limit, 1), 10000);
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sync FROM PUBLIC;
--> statement-breakpoint
DO $$
DECLARE login text := (SELECT value FROM central_settings WHERE key = 'login_role'); f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'sync'::regnamespace
    AND p.proname <> 'claim_secret' LOOP
    EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO %I', f, login);
    EXECUTE format('ALTER FUNCTION %s SET jit = off', f);
  END LOOP;
END $$;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.claim_secret(uuid) TO baglink_station;

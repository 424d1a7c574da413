-- One pooled login for every station, each call proven by the station's own secret, and a centre that lets a
-- station act only as itself. Replaces the per-station login roles of 0001: a role per station meant a backend
-- per station, which PgBouncer (pooling per role) cannot share.
--
-- The pooled role is named after the database (<database>_station_login) so that several centres on one server
-- do not share it; its password lives in central_settings (readable only by the owner) and goes into every
-- enrolment line. Knowing it proves nothing: every sync.* function takes the station's proof as its second
-- argument (a bind parameter, never SQL text) and finds the station through station_by_proof, which compares the
-- SHA-256 of the proof with the hash stored at enrolment. A wrong, missing or revoked proof is refused with 42501.
-- Creating the role and its log settings need a superuser (or CREATEROLE for the role alone): see the README.
CREATE TABLE public.central_settings (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "proof_hash" bytea;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "secret_set_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "last_pull_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "stations" ALTER COLUMN "role_name" DROP NOT NULL;--> statement-breakpoint
-- The areas a user may work in (a supervisor may move between docks). dispatch_area stays the home area.
ALTER TABLE "users" ADD COLUMN "areas" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
UPDATE "users" SET "areas" = ARRAY["dispatch_area"] WHERE "dispatch_area" IS NOT NULL;--> statement-breakpoint
-- What the centre refused a station (or accepted and flagged for IT), for `baglink central refusals`.
CREATE TABLE "refusals" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"seq" bigint,
	"op" text NOT NULL,
	"kind" text NOT NULL,
	"actor" text,
	"subject" text,
	"flagged_only" boolean DEFAULT false NOT NULL,
	"detail" jsonb,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "refusals_station_idx" ON "refusals" USING btree ("station_id","at");--> statement-breakpoint
CREATE FUNCTION public.user_default_areas() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF NEW.areas = '{}' AND NEW.dispatch_area IS NOT NULL THEN NEW.areas := ARRAY[NEW.dispatch_area]; END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER users_default_areas BEFORE INSERT ON public.users FOR EACH ROW
  EXECUTE FUNCTION public.user_default_areas();
--> statement-breakpoint
DO $$
DECLARE login text := left(current_database(), 48) || '_station_login';
  pw text := encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text, 'UTF8')), 'hex');
BEGIN
  BEGIN
    EXECUTE format('CREATE ROLE %I LOGIN NOINHERIT NOCREATEDB NOCREATEROLE PASSWORD %L', login, pw);
  EXCEPTION WHEN duplicate_object THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', login, pw);
  END;
  INSERT INTO central_settings VALUES ('login_role', login), ('login_password', pw);
  -- Defaults only: a role may SET its own statement and idle timeouts, so the bounds that hold are PgBouncer's
  -- query_timeout and idle_transaction_timeout. The log settings are superuser-only: the proof is a bind
  -- parameter, and with these no log line ever prints a parameter of the pooled role.
  EXECUTE format('ALTER ROLE %I SET statement_timeout = %L', login, '30s');
  EXECUTE format('ALTER ROLE %I SET idle_in_transaction_session_timeout = %L', login, '10s');
  EXECUTE format('ALTER ROLE %I SET log_parameter_max_length = 0', login);
  EXECUTE format('ALTER ROLE %I SET log_parameter_max_length_on_error = 0', login);
  EXECUTE format('GRANT USAGE ON SCHEMA sync TO %I', login);
  -- No temporary tables in this database for anyone but the owner (RESET ALL would not drop them).
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
END $$;
--> statement-breakpoint
-- What one station could do to another through the shared role, closed by name: locks that outlive a
-- transaction (RESET ALL does not release them), sleeping on a pooled connection, cancelling or terminating
-- the other stations' backends (same role), notifications.
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
    WHERE p.pronamespace = 'pg_catalog'::regnamespace
      AND (p.proname LIKE 'pg\_advisory%' OR p.proname LIKE 'pg\_try\_advisory%'
        OR p.proname IN ('pg_sleep', 'pg_sleep_for', 'pg_sleep_until', 'pg_cancel_backend', 'pg_terminate_backend',
          'pg_notify', 'pg_listening_channels')) LOOP
    EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', f);
  END LOOP;
END $$;
--> statement-breakpoint
-- The one door: the station whose id and proof match, not revoked. The row is read without a lock first, so a
-- caller with a wrong proof can never hold a station's row; push then locks it.
CREATE FUNCTION public.station_by_proof(p_station uuid, p_proof text, p_lock boolean) RETURNS public.stations
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE st public.stations;
BEGIN
  SELECT * INTO st FROM stations WHERE id = p_station;
  IF NOT FOUND OR st.proof_hash IS NULL OR p_proof IS NULL
    OR sha256(convert_to(p_proof, 'UTF8')) <> st.proof_hash THEN
    RAISE EXCEPTION 'The centre does not recognise station % with this secret: ask IT for a new enrolment line.',
      p_station USING ERRCODE = '42501', DETAIL = 'baglink:wrong_proof';
  END IF;
  IF st.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'IT revoked station "%" at the centre on %: ask IT to enrol it again.', st.name,
      to_char(st.revoked_at, 'YYYY-MM-DD HH24:MI TZ') USING ERRCODE = '42501', DETAIL = 'baglink:revoked';
  END IF;
  IF p_lock THEN SELECT * INTO st FROM stations WHERE id = p_station FOR UPDATE; END IF;
  RETURN st;
END $$;
--> statement-breakpoint
-- A user may act at a station when an admin, or when the station's area is one of theirs: the role to judge a
-- scan's actor by, or null (the caller then judges the scan as a dock worker's and flags it for IT).
CREATE FUNCTION public.actor_role(st public.stations, p_username text) RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
  SELECT u.role FROM users u
  WHERE u.username = p_username AND (u.role = 'admin' OR st.dispatch_area = ANY (u.areas))
$$;
--> statement-breakpoint
CREATE FUNCTION public.record_refusal(st public.stations, p_seq bigint, p_op text, p_kind text, p_actor text,
  p_subject text, p_detail jsonb, p_flagged_only boolean DEFAULT false) RETURNS void
LANGUAGE sql SET search_path = public, pg_temp AS $$
  INSERT INTO refusals (station_id, seq, op, kind, actor, subject, detail, flagged_only)
  VALUES (st.id, p_seq, p_op, p_kind, p_actor, p_subject, p_detail, p_flagged_only)
$$;
--> statement-breakpoint
-- What a station may not do, whatever its login: null when the operation is allowed, else the refusal result
-- (recorded as a refusal for IT and as a conflict the station's supervisor reads). The scan an operation carries
-- is still recorded: a refusal never loses a scan.
CREATE FUNCTION public.authorize_op(st public.stations, p_seq bigint, p_op text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE kind text := NULL; subject text; cen jsonb := NULL; ex users; area text; fix jsonb := '[]'::jsonb;
  actor text := coalesce(p->'scan'->>'username', p->>'by'); cid bigint;
BEGIN
  CASE p_op
  WHEN 'user.upsert' THEN
    subject := p->>'username';
    SELECT * INTO ex FROM users WHERE username = p->>'username';
    IF p->>'role' NOT IN ('dock', 'supervisor') THEN
      kind := 'user_role_not_allowed';
    ELSIF coalesce(upper(p->>'dispatchArea'), st.dispatch_area) <> st.dispatch_area THEN
      kind := 'user_other_area';
    ELSIF FOUND AND (ex.role = 'admin' OR NOT st.dispatch_area = ANY (ex.areas)) THEN
      kind := CASE WHEN ex.role = 'admin' THEN 'user_role_not_allowed' ELSE 'user_other_area' END;
    END IF;
    IF kind IS NOT NULL THEN
      cen := jsonb_build_object('username', subject, 'stationArea', st.dispatch_area);
      IF ex.id IS NOT NULL AND (ex.role = 'admin' OR st.dispatch_area = ANY (ex.areas)) THEN
        fix := jsonb_build_array(jsonb_build_object('entity', 'users', 'row', to_jsonb(ex)));
      END IF;
    END IF;
  WHEN 'bill.create' THEN
    subject := p->>'billNo';
    IF coalesce(upper(p->>'dispatchArea'), st.dispatch_area) <> st.dispatch_area THEN kind := 'bill_other_area'; END IF;
  WHEN 'bill.complete', 'bill.reopen', 'bill.addParent', 'bill.removeParent' THEN
    subject := p->>'billNo';
    SELECT b.dispatch_area, to_jsonb(b) INTO area, cen FROM bills b WHERE b.bill_no = p->>'billNo';
    IF FOUND AND area <> st.dispatch_area THEN
      kind := 'bill_other_area';
      fix := jsonb_build_array(jsonb_build_object('entity', 'bills', 'row', cen));
    END IF;
  WHEN 'link.remove', 'link.move' THEN
    subject := p->>'childCode';
    SELECT s.dispatch_area, to_jsonb(l) INTO area, cen FROM links l JOIN stations s ON s.id = l.station_id
    WHERE l.removed_at IS NULL
      AND (l.id = (CASE p_op WHEN 'link.move' THEN p->>'removedLinkId' ELSE p->>'linkId' END)::uuid
      OR (l.child_code = p->>'childCode' AND l.parent_code = coalesce(p->>'parentCode', p->>'fromParent')))
    LIMIT 1;
    IF FOUND AND area <> st.dispatch_area THEN
      kind := 'link_other_area';
      fix := jsonb_build_array(jsonb_build_object('entity', 'links', 'row', cen));
    END IF;
  WHEN 'station.update' THEN
    subject := st.name;
    IF upper(p->>'dispatchArea') IS DISTINCT FROM st.dispatch_area AND p->>'dispatchArea' IS NOT NULL
      OR (p->'profile'->>'parentCapacity')::int IS DISTINCT FROM st.parent_capacity
        AND p->'profile'->>'parentCapacity' IS NOT NULL THEN
      kind := 'station_settings_by_it';
      cen := jsonb_build_object('dispatchArea', st.dispatch_area, 'parentCapacity', st.parent_capacity);
    END IF;
  ELSE
    RETURN NULL;
  END CASE;
  IF kind IS NULL THEN RETURN NULL; END IF;
  INSERT INTO audit (station_id, seq, op, payload) VALUES (st.id, p_seq, p_op, p - 'passwordHash' - 'pinHash');
  PERFORM record_scan(st.id, p_seq, p->'scan');
  PERFORM record_refusal(st, p_seq, p_op, kind, actor, subject, cen);
  cid := record_conflict(st.id, p_seq, p_op, kind, coalesce(subject, p_op), p - 'passwordHash' - 'pinHash', cen);
  RETURN jsonb_build_object('status', 'rejected', 'kind', kind, 'conflictId', cid,
    'local', p - 'passwordHash' - 'pinHash', 'central', cen, 'apply', fix);
END $$;
--> statement-breakpoint
-- A station writes a user only into its own area (the centre keeps the user's other areas, set by IT).
CREATE FUNCTION public.upsert_station_user(st public.stations, p jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  INSERT INTO users (id, username, display_name, role, dispatch_area, areas, password_hash, badge_code, pin_hash,
    active, station_id, created_at)
  VALUES ((p->>'id')::uuid, p->>'username', p->>'displayName', p->>'role', st.dispatch_area,
    ARRAY[st.dispatch_area], p->>'passwordHash', p->>'badgeCode', p->>'pinHash',
    coalesce((p->>'active')::boolean, true), st.id, (p->>'createdAt')::bigint)
  ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
    password_hash = excluded.password_hash, badge_code = excluded.badge_code, pin_hash = excluded.pin_hash,
    active = excluded.active, updated_at = now();
END $$;
--> statement-breakpoint
-- What a station sees of a user: the whole row (hashes included) when the user may work there and is active;
-- otherwise a "forget" row, so a station of an area the user left (or of a deactivated user) deletes the hashes.
CREATE FUNCTION public.user_row_for(st public.stations, r jsonb) RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
  SELECT CASE
    WHEN coalesce((r->>'active')::boolean, true)
      AND (r->>'role' = 'admin' OR st.dispatch_area = ANY (ARRAY(SELECT jsonb_array_elements_text(r->'areas'))))
    THEN r
    ELSE jsonb_build_object('id', r->'id', 'username', r->'username', 'forget', true)
  END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.create_link(st public.stations, p_seq bigint, p_op text, p_id uuid, p_child text,
  p_parent text, p_at bigint, p_by text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE ck text; pk text; ex links; ins uuid; loc jsonb; cen jsonb; cid bigint; tomb jsonb; kind text := NULL;
  area text; child_area text; closed text; n int;
BEGIN
  ck := ensure_bag(st.id, p_child, 'child', st.dispatch_area, NULL, p_at);
  pk := ensure_bag(st.id, p_parent, 'parent', st.dispatch_area, NULL, p_at);
  loc := jsonb_build_object('linkId', p_id, 'child', p_child, 'parent', p_parent, 'at', p_at, 'by', p_by,
    'station', st.name);
  tomb := jsonb_build_object('entity', 'links', 'row', jsonb_build_object('id', p_id, 'child_code', p_child,
    'parent_code', p_parent, 'linked_at', p_at, 'removed_at', p_at, 'removed_by', 'centre'));
  IF ck <> 'child' OR pk <> 'parent' THEN
    cid := record_conflict(st.id, p_seq, p_op, 'kind_mismatch', p_child, loc, NULL);
    RETURN jsonb_build_object('status', 'conflict', 'kind', 'kind_mismatch', 'conflictId', cid, 'local', loc,
      'apply', jsonb_build_array(tomb));
  END IF;
  SELECT dispatch_area INTO area FROM bags WHERE code = p_parent FOR NO KEY UPDATE;
  SELECT * INTO ex FROM links WHERE child_code = p_child AND removed_at IS NULL;
  IF NOT FOUND THEN
    closed := closed_bill_of(p_parent);
    SELECT dispatch_area INTO child_area FROM bags WHERE code = p_child;
    SELECT count(*) FILTER (WHERE removed_at IS NULL) INTO n FROM links WHERE parent_code = p_parent;
    IF closed IS NOT NULL THEN
      kind := 'parent_on_closed_bill';
      cen := jsonb_build_object('parent', p_parent, 'billNo', closed);
    ELSIF (area <> st.dispatch_area OR child_area <> st.dispatch_area)
      AND coalesce(actor_role(st, p_by), 'dock') = 'dock' THEN
      kind := 'other_area';
      cen := jsonb_build_object('parent', p_parent, 'parentArea', area, 'childArea', child_area,
        'stationArea', st.dispatch_area);
    ELSIF n >= st.parent_capacity THEN
      kind := 'parent_full';
      cen := jsonb_build_object('parent', p_parent, 'children', n, 'capacity', st.parent_capacity);
    END IF;
    IF kind IS NOT NULL THEN
      cid := record_conflict(st.id, p_seq, p_op, kind, p_child, loc, cen);
      RETURN jsonb_build_object('status', 'conflict', 'kind', kind, 'conflictId', cid, 'local', loc,
        'central', cen, 'apply', jsonb_build_array(tomb));
    END IF;
    INSERT INTO links (id, child_code, parent_code, linked_at, linked_by, station_id)
    VALUES (p_id, p_child, p_parent, p_at, p_by, st.id)
    ON CONFLICT (child_code) WHERE removed_at IS NULL DO NOTHING
    RETURNING id INTO ins;
    IF ins IS NOT NULL THEN RETURN NULL; END IF;
    SELECT * INTO ex FROM links WHERE child_code = p_child AND removed_at IS NULL;
  END IF;
  IF ex.parent_code = p_parent THEN
    -- Both stations put the child in the same parent: no conflict, the station takes the centre's link id.
    RETURN jsonb_build_object('status', 'merged', 'apply',
      jsonb_build_array(tomb, jsonb_build_object('entity', 'links', 'row', to_jsonb(ex))));
  END IF;
  cen := jsonb_build_object('linkId', ex.id, 'child', ex.child_code, 'parent', ex.parent_code, 'at', ex.linked_at,
    'by', ex.linked_by, 'station', (SELECT name FROM stations WHERE id = ex.station_id));
  cid := record_conflict(st.id, p_seq, p_op, 'linked_elsewhere', p_child, loc, cen);
  RETURN jsonb_build_object('status', 'conflict', 'kind', 'linked_elsewhere', 'conflictId', cid, 'local', loc,
    'central', cen,
    'apply', jsonb_build_array(tomb, jsonb_build_object('entity', 'bags', 'row',
      (SELECT to_jsonb(b) FROM bags b WHERE b.code = ex.parent_code)),
      jsonb_build_object('entity', 'links', 'row', to_jsonb(ex))));
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.apply_scan_run(st public.stations, p_ops public.sync_op[]) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE effects scan_effect[]; reqs link_request[]; fast link_request[]; slow link_request[]; done text[];
  r link_request; one jsonb; res jsonb := '[]'::jsonb;
BEGIN
  INSERT INTO scans (id, station_id, seq, at, raw, code, action, outcome, reason, username, scanner, parent_code,
    bill_no)
  SELECT s.id, st.id, o.seq, s.at, s.raw, s.code, s.action, s.outcome, s.reason, s.username, s.scanner,
    s."parentCode", s."billNo"
  FROM unnest(p_ops) o, jsonb_to_record(o.payload->'scan') AS s(id uuid, at bigint, raw text, code text,
    action text, outcome text, reason text, username text, scanner text, "parentCode" text, "billNo" text)
  WHERE jsonb_typeof(o.payload->'scan') = 'object'
  ON CONFLICT (id) DO NOTHING;

  -- A scan whose actor may not work at this station is kept (it was saved and shown at the dock) and flagged
  -- for IT; its links are judged as a dock worker's.
  INSERT INTO refusals (station_id, seq, op, kind, actor, flagged_only, detail)
  SELECT st.id, a.seq, 'scan', 'actor_not_of_station', a.actor, true,
    jsonb_build_object('stationArea', st.dispatch_area, 'scans', a.n)
  FROM (SELECT o.payload->'scan'->>'username' AS actor, min(o.seq) AS seq, count(*) AS n FROM unnest(p_ops) o
    WHERE o.payload->'scan'->>'username' IS NOT NULL GROUP BY 1) a
  WHERE actor_role(st, a.actor) IS NULL;

  effects := ARRAY(
    SELECT ROW(o.seq, e.type, e.id, e.code, e.kind, e."dispatchArea", e.at, e."childCode", e."parentCode",
      o.payload->'scan'->>'username')::scan_effect
    FROM unnest(p_ops) o, jsonb_to_recordset(o.payload->'effects') AS e(type text, id uuid, code text, kind text,
      "dispatchArea" text, at bigint, "childCode" text, "parentCode" text)
    ORDER BY o.seq);
  reqs := ARRAY(
    SELECT ROW(e.seq, e.id, e.child, e.parent, e.at, e.actor)::link_request FROM unnest(effects) e
    WHERE e.type = 'link.created' ORDER BY e.seq);

  -- Bags first seen in this run (a link to a bag the centre lacks goes the slow way, which creates it).
  INSERT INTO bags (id, code, kind, dispatch_area, first_seen_at, station_id)
  SELECT DISTINCT ON (e.code) coalesce(e.id, gen_random_uuid()), e.code, e.kind, coalesce(e.area, st.dispatch_area),
    e.at, st.id
  FROM unnest(effects) e
  WHERE e.type = 'bag.created'
  ORDER BY e.code, e.seq
  ON CONFLICT (code) DO NOTHING;

  IF coalesce(array_length(reqs, 1), 0) = 0 THEN RETURN res; END IF;

  -- Each request judged in one statement; the parents' rows are locked (in code order) so no other station
  -- fills them between this count and this run's links.
  WITH q AS (SELECT u.*, count(*) OVER (PARTITION BY u.child) AS times FROM unnest(reqs) u),
  adding AS (SELECT q.parent, count(*) AS n FROM q GROUP BY q.parent ORDER BY q.parent),
  parents AS MATERIALIZED (
    SELECT a.parent, p.kind, p.dispatch_area,
      a.n + (SELECT count(*) FILTER (WHERE l.removed_at IS NULL) FROM links l WHERE l.parent_code = p.code) AS after,
      closed_bill_of(a.parent) IS NOT NULL AS closed
    FROM adding a LEFT JOIN LATERAL (SELECT * FROM bags b WHERE b.code = a.parent FOR NO KEY UPDATE) p ON true),
  judged AS (
    SELECT q.*, coalesce(
      c.kind = 'child' AND p.kind = 'parent' AND q.times = 1 AND p.after <= st.parent_capacity AND NOT p.closed
      AND ((p.dispatch_area = st.dispatch_area AND c.dispatch_area = st.dispatch_area)
        OR coalesce(actor_role(st, q.actor), 'dock') <> 'dock'),
      false) AS ok
    FROM q JOIN parents p ON p.parent = q.parent
    LEFT JOIN LATERAL (SELECT b.kind, b.dispatch_area FROM bags b WHERE b.code = q.child) c ON true)
  SELECT ARRAY(SELECT ROW(j.seq, j.id, j.child, j.parent, j.at, j.actor)::link_request FROM judged j WHERE j.ok
      ORDER BY j.child),
    ARRAY(SELECT ROW(j.seq, j.id, j.child, j.parent, j.at, j.actor)::link_request FROM judged j WHERE NOT j.ok)
  INTO fast, slow;

  WITH ins AS (
    INSERT INTO links (id, child_code, parent_code, linked_at, linked_by, station_id)
    SELECT f.id, f.child, f.parent, f.at, f.actor, st.id FROM unnest(fast) f ORDER BY f.child
    ON CONFLICT (child_code) WHERE removed_at IS NULL DO NOTHING
    RETURNING child_code)
  SELECT array_agg(child_code) INTO done FROM ins;

  FOR r IN
    SELECT * FROM (
      SELECT * FROM unnest(slow)
      UNION ALL
      SELECT * FROM unnest(fast) f WHERE f.child <> ALL (coalesce(done, '{}'))) x
    ORDER BY x.seq
  LOOP
    one := create_link(st, r.seq, 'scan', r.id, r.child, r.parent, r.at, r.actor);
    IF one IS NOT NULL THEN res := res || (jsonb_build_object('seq', r.seq) || one); END IF;
  END LOOP;
  RETURN res;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.push_as(st public.stations, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE last bigint; ops sync_op[]; n int; i int; run_from int := 0; results jsonb; one jsonb;
  err jsonb := NULL;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  PERFORM set_config('baglink.station', st.id::text, true);
  last := st.last_applied_seq;
  ops := ARRAY(
    SELECT ROW((v->>'seq')::bigint, v->>'op', v->'payload')::sync_op
    FROM jsonb_array_elements(p_ops) v ORDER BY (v->>'seq')::bigint);
  -- Resent after a lost reply (seq <= last): nothing changes; report the conflicts the first copy recorded.
  SELECT count(*) INTO i FROM unnest(ops) o WHERE o.seq <= last;
  SELECT coalesce(jsonb_agg(jsonb_build_object('seq', d.seq, 'status', 'duplicate', 'conflicts', d.list)
    ORDER BY d.seq), '[]'::jsonb)
  INTO results
  FROM (
    SELECT c.seq, jsonb_agg(jsonb_build_object('conflictId', c.id, 'kind', c.kind, 'local', c.local,
      'central', c.central) ORDER BY c.id) AS list
    FROM conflicts c
    WHERE c.station_id = st.id AND c.seq IN (SELECT o.seq FROM unnest(ops[1:i]) o)
    GROUP BY c.seq) d;
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
  last := last + n;
  UPDATE stations SET last_applied_seq = last, last_push_at = now() WHERE id = st.id;
  RETURN coalesce(err, '{}'::jsonb) || jsonb_build_object('results', results, 'lastAppliedSeq', last);
END $$;
--> statement-breakpoint
ALTER FUNCTION public.push_as(public.stations, integer, jsonb) SET plan_cache_mode = force_generic_plan;
--> statement-breakpoint
CREATE FUNCTION public.pull_as(st public.stations, p_protocol int, p_after_xid text, p_after_id bigint,
  p_limit int)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE horizon xid8; lim int := least(greatest(p_limit, 1), 10000); page jsonb; n int;
  last_xid xid8; last_id bigint;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  -- Seen by IT in central status; at most every 30 s, and never waiting behind this station's push.
  UPDATE stations SET last_pull_at = now() WHERE id = (SELECT s.id FROM stations s WHERE s.id = st.id
    AND (s.last_pull_at IS NULL OR s.last_pull_at < now() - interval '30 seconds') FOR UPDATE SKIP LOCKED);
  IF st.resync_required THEN RETURN jsonb_build_object('resync', true); END IF;
  horizon := pull_horizon();
  WITH c AS (
    SELECT * FROM changes WHERE (xid, id) > (p_after_xid::xid8, p_after_id) AND xid < horizon
    ORDER BY xid, id LIMIT lim)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'xid', c.xid::text, 'entity', c.entity,
      'row', CASE WHEN c.entity = 'users' THEN user_row_for(st, c.row) ELSE c.row END)
      ORDER BY c.xid, c.id) FILTER (WHERE c.station_id IS DISTINCT FROM st.id), '[]'::jsonb),
    count(*),
    (SELECT c2.xid FROM c c2 ORDER BY c2.xid DESC, c2.id DESC LIMIT 1),
    (SELECT c2.id FROM c c2 ORDER BY c2.xid DESC, c2.id DESC LIMIT 1)
  INTO page, n, last_xid, last_id
  FROM c;
  RETURN jsonb_build_object('changes', page, 'more', n >= lim,
    'cursor', CASE WHEN n > 0 THEN jsonb_build_object('xid', last_xid::text, 'id', last_id) END);
END $$;
--> statement-breakpoint
-- The old per-role functions answer an old station plainly instead of "function does not exist".
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.pronamespace = 'sync'::regnamespace LOOP
    EXECUTE format('DROP FUNCTION %s', f);
  END LOOP;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.old_station_software() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'The centre was upgraded and needs this station''s software updated before it syncs again; nothing on the station is lost.'
    USING ERRCODE = '08P01';
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.hello(p_station uuid, p_protocol int) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
CREATE FUNCTION sync.push(p_station uuid, p_protocol int, p_ops jsonb) RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
CREATE FUNCTION sync.pull(p_station uuid, p_protocol int, p_after_xid text, p_after_id bigint, p_limit int)
RETURNS jsonb LANGUAGE plpgsql AS $$
BEGIN PERFORM public.old_station_software(); RETURN NULL; END $$;
--> statement-breakpoint
-- An enrolled station upgrades itself: logged in with its old per-station role, it receives a new secret and the
-- pooled login. Asking again (a lost reply) gives another secret. Once the station has proven itself with its
-- secret, the next `baglink central migrate` drops the old role.
CREATE FUNCTION sync.claim_secret(p_station uuid) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; secret text;
BEGIN
  SELECT * INTO st FROM stations WHERE id = p_station AND role_name = session_user FOR UPDATE;
  IF NOT FOUND OR st.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION 'Station % cannot take a new secret with this login: ask IT for a new enrolment line.', p_station
      USING ERRCODE = '42501', DETAIL = 'baglink:wrong_proof';
  END IF;
  secret := encode(sha256(convert_to(gen_random_uuid()::text || gen_random_uuid()::text || gen_random_uuid()::text,
    'UTF8')), 'hex');
  UPDATE stations SET proof_hash = sha256(convert_to(secret, 'UTF8')), secret_set_at = now() WHERE id = st.id;
  RETURN jsonb_build_object('secret', secret,
    'login', (SELECT value FROM central_settings WHERE key = 'login_role'),
    'password', (SELECT value FROM central_settings WHERE key = 'login_password'));
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.hello(p_station uuid, p_proof text, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations := station_by_proof(p_station, p_proof, false);
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  RETURN jsonb_build_object('protocol', 1, 'name', st.name, 'dispatchArea', st.dispatch_area,
    'parentCapacity', st.parent_capacity, 'lastAppliedSeq', st.last_applied_seq);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.push(p_station uuid, p_proof text, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := station_by_proof(p_station, p_proof, true);
  RETURN push_as(st, p_protocol, p_ops);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.pull(p_station uuid, p_proof text, p_protocol int, p_after_xid text, p_after_id bigint,
  p_limit int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  RETURN pull_as(station_by_proof(p_station, p_proof, false), p_protocol, p_after_xid, p_after_id, p_limit);
END $$;
--> statement-breakpoint
-- An operation the centre cannot apply at all (malformed: its batch failed even alone), as in 0001.
CREATE FUNCTION sync.reject(p_station uuid, p_proof text, p_protocol int, p_seq bigint, p_op text,
  p_payload jsonb, p_reason text) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; cid bigint;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := station_by_proof(p_station, p_proof, true);
  IF p_seq <= st.last_applied_seq THEN
    RETURN jsonb_build_object('results', jsonb_build_array(jsonb_build_object('seq', p_seq, 'status', 'duplicate',
      'conflicts', '[]'::jsonb)), 'lastAppliedSeq', st.last_applied_seq);
  END IF;
  IF p_seq <> st.last_applied_seq + 1 THEN
    RETURN jsonb_build_object('error', 'gap', 'expected', st.last_applied_seq + 1, 'got', p_seq, 'results', '[]'::jsonb);
  END IF;
  cid := record_conflict(st.id, p_seq, p_op, 'invalid_op', p_op, jsonb_build_object('payload',
    p_payload - 'passwordHash' - 'pinHash', 'reason', left(p_reason, 500)), NULL);
  UPDATE stations SET last_applied_seq = p_seq, last_push_at = now() WHERE id = st.id;
  RETURN jsonb_build_object('results', jsonb_build_array(jsonb_build_object('seq', p_seq, 'status', 'rejected',
    'kind', 'invalid_op', 'conflictId', cid, 'local', jsonb_build_object('op', p_op, 'reason', left(p_reason, 500)))),
    'lastAppliedSeq', p_seq);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_start(p_station uuid, p_proof text, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := station_by_proof(p_station, p_proof, false);
  IF st.resync_required THEN UPDATE stations SET resync_required = false WHERE id = st.id; END IF;
  RETURN jsonb_build_object('xid', pull_horizon()::text,
    'counts', jsonb_build_object(
      'bags', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.bags'::regclass),
      'links', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.links'::regclass)));
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_bags(p_station uuid, p_proof text, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, code text, kind text, dispatch_area text, first_seen_at bigint, station_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT b.id, b.code, b.kind, b.dispatch_area, b.first_seen_at, b.station_id FROM bags b
    WHERE b.id > coalesce(nullif(p_after, '')::uuid, '00000000-0000-0000-0000-000000000000')
    ORDER BY b.id LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_links(p_station uuid, p_proof text, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, child_code text, parent_code text, linked_at bigint, linked_by text, station_id uuid,
  child_id uuid, parent_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT l.id, l.child_code, l.parent_code, l.linked_at, l.linked_by, l.station_id,
      (SELECT c.id FROM bags c WHERE c.code = l.child_code), (SELECT p.id FROM bags p WHERE p.code = l.parent_code)
    FROM (SELECT * FROM links x WHERE x.removed_at IS NULL
      AND x.id > coalesce(nullif(p_after, '')::uuid, '00000000-0000-0000-0000-000000000000')
      ORDER BY x.id LIMIT least(greatest(p_limit, 1), 50000)) l
    ORDER BY l.id;
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_bills(p_station uuid, p_proof text, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, bill_no text, destination text, vehicle_no text, capacity int, description text,
  status text, dispatch_area text, station_id uuid, created_at bigint, created_by text, completed_at bigint,
  completed_by text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT b.id, b.bill_no, b.destination, b.vehicle_no, b.capacity, b.description, b.status,
    b.dispatch_area, b.station_id, b.created_at, b.created_by, b.completed_at, b.completed_by FROM bills b
    WHERE b.bill_no > p_after ORDER BY b.bill_no LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_bill_bags(p_station uuid, p_proof text, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, bill_no text, parent_code text, added_at bigint, added_by text, station_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT x.id, x.bill_no, x.parent_code, x.added_at, x.added_by, x.station_id FROM bill_bags x
    WHERE x.removed_at IS NULL AND x.parent_code > p_after ORDER BY x.parent_code
    LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
-- Only the users who may work at this station (its area's, and the admins): no other hash leaves the centre.
CREATE FUNCTION sync.snapshot_users(p_station uuid, p_proof text, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, username text, display_name text, role text, dispatch_area text, password_hash text,
  badge_code text, pin_hash text, active boolean, station_id uuid, created_at bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  PERFORM check_protocol(p_protocol);
  st := station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT u.id, u.username, u.display_name, u.role, u.dispatch_area, u.password_hash, u.badge_code,
    u.pin_hash, u.active, u.station_id, u.created_at FROM users u
    WHERE u.username > p_after AND u.active AND (u.role = 'admin' OR st.dispatch_area = ANY (u.areas))
    ORDER BY u.username LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
DROP FUNCTION public.calling_station(uuid, boolean);
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

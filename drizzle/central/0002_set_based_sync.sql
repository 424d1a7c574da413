ALTER TABLE "changes" ADD COLUMN "station_id" uuid;--> statement-breakpoint
ALTER TABLE "stations" ADD COLUMN "parent_capacity" integer DEFAULT 30 NOT NULL;--> statement-breakpoint
-- The change log is written per statement from transition tables (one INSERT ... SELECT per statement instead
-- of a PL/pgSQL call per row), and each row names the station whose push wrote it, so its own pull skips it.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['bags', 'links', 'bills', 'bill_bags', 'users'] LOOP
    EXECUTE format('DROP TRIGGER %I ON public.%I', t || '_log', t);
  END LOOP;
END $$;
--> statement-breakpoint
DROP FUNCTION public.log_change();
--> statement-breakpoint
CREATE FUNCTION public.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.changes (entity, station_id, row)
  SELECT TG_TABLE_NAME, nullif(current_setting('baglink.station', true), '')::uuid, to_jsonb(n) FROM new_rows n;
  RETURN NULL;
END $$;
--> statement-breakpoint
DO $$
DECLARE t text; e text;
BEGIN
  FOREACH t IN ARRAY ARRAY['bags', 'links', 'bills', 'bill_bags', 'users'] LOOP
    FOREACH e IN ARRAY ARRAY['insert', 'update'] LOOP
      EXECUTE format('CREATE TRIGGER %I AFTER %s ON public.%I REFERENCING NEW TABLE AS new_rows '
        'FOR EACH STATEMENT EXECUTE FUNCTION public.log_changes()', t || '_log_' || e, upper(e), t);
    END LOOP;
  END LOOP;
END $$;
--> statement-breakpoint
CREATE TYPE public.sync_op AS (seq bigint, op text, payload jsonb);
--> statement-breakpoint
CREATE TYPE public.link_request AS (seq bigint, id uuid, child text, parent text, at bigint, actor text);
--> statement-breakpoint
-- One effect of a scan (bag.created or link.created), read out of the JSON once per run.
CREATE TYPE public.scan_effect AS (seq bigint, type text, id uuid, code text, kind text, area text, at bigint,
  child text, parent text, actor text);
--> statement-breakpoint
-- The parent's active bill, when it is not open (links into it are refused: the bill is closed).
CREATE FUNCTION public.closed_bill_of(p_parent text) RETURNS text LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
  SELECT b.bill_no FROM bill_bags x JOIN bills b ON b.bill_no = x.bill_no
  WHERE x.parent_code = p_parent AND x.removed_at IS NULL AND b.status <> 'open' LIMIT 1
$$;
--> statement-breakpoint
-- First commit wins, under the central rules: kinds, the child's one active link (the partial unique index
-- decides races), a parent on a completed bill, the dispatch area for dock users, and the linking station's
-- parent capacity (the parent's row is locked, so two stations cannot both fill its last place). Returns null
-- when applied, else a result naming the conflict and the central rows the station applies to correct itself.
DROP FUNCTION public.create_link(public.stations, bigint, text, uuid, text, text, bigint, text);
--> statement-breakpoint
CREATE FUNCTION public.create_link(st public.stations, p_seq bigint, p_op text, p_id uuid, p_child text,
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
      AND (SELECT role FROM users WHERE username = p_by) = 'dock' THEN
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
-- A run of consecutive scan operations, set-based: their scan rows in one INSERT, the bags they first saw in
-- one INSERT, and their links in one INSERT for every link no rule stops. A link a rule might stop (a parent
-- that this run would overfill, a parent on a completed bill, another area, a kind clash) or that lost the race
-- for its child goes through create_link one by one, in sequence order. Returns the results that are not
-- plain "applied", each with its seq.
CREATE FUNCTION public.apply_scan_run(st public.stations, p_ops public.sync_op[]) RETURNS jsonb
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
        OR coalesce((SELECT u.role FROM users u WHERE u.username = q.actor), '') <> 'dock'),
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
-- One operation that is not a scan (sync.push applies scans in runs), under the central rules. Returns null
-- when simply applied, else its result (status and what the station applies).
CREATE OR REPLACE FUNCTION public.apply_op(st public.stations, p_seq bigint, p_op text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE res jsonb := NULL; ins uuid; ex bill_bags; cid bigint; bill bills; central jsonb;
BEGIN
  INSERT INTO audit (station_id, seq, op, payload) VALUES (st.id, p_seq, p_op, p);
  CASE p_op
  WHEN 'link.remove' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    PERFORM remove_link((p->>'linkId')::uuid, p->>'childCode', p->>'parentCode', (p->>'at')::bigint,
      p->'scan'->>'username');
  WHEN 'link.move' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    PERFORM remove_link((p->>'removedLinkId')::uuid, p->>'childCode', p->>'fromParent', (p->>'at')::bigint,
      p->'scan'->>'username');
    res := create_link(st, p_seq, p_op, (p->>'linkId')::uuid, p->>'childCode', p->>'toParent', (p->>'at')::bigint,
      p->'scan'->>'username');
  WHEN 'bill.create' THEN
    INSERT INTO bills (id, bill_no, destination, vehicle_no, capacity, description, status, dispatch_area,
      station_id, created_at, created_by)
    VALUES ((p->>'id')::uuid, p->>'billNo', p->>'destination', p->>'vehicleNo', (p->>'capacity')::int,
      coalesce(p->>'description', ''), 'open', p->>'dispatchArea', st.id, (p->>'at')::bigint, p->>'by')
    ON CONFLICT (bill_no) DO NOTHING RETURNING id INTO ins;
    IF ins IS NULL AND NOT EXISTS (SELECT 1 FROM bills WHERE id = (p->>'id')::uuid) THEN
      central := (SELECT to_jsonb(b) FROM bills b WHERE b.bill_no = p->>'billNo');
      cid := record_conflict(st.id, p_seq, p_op, 'bill_exists', p->>'billNo', p, central);
      res := jsonb_build_object('status', 'conflict', 'kind', 'bill_exists', 'conflictId', cid, 'local', p,
        'central', central, 'apply', jsonb_build_array(jsonb_build_object('entity', 'bills', 'row', central)));
    END IF;
  WHEN 'bill.addParent' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    SELECT * INTO bill FROM bills WHERE bill_no = p->>'billNo' FOR NO KEY UPDATE;
    IF FOUND AND bill.status <> 'open' THEN
      -- Completed at the centre (by another station) before this parent arrived: the parent stays off it.
      central := jsonb_build_object('billNo', bill.bill_no, 'status', bill.status, 'completedAt', bill.completed_at,
        'completedBy', bill.completed_by);
      cid := record_conflict(st.id, p_seq, p_op, 'bill_not_open', p->>'parentCode', p, central);
      RETURN jsonb_build_object('status', 'conflict', 'kind', 'bill_not_open', 'conflictId', cid, 'local', p,
        'central', central, 'apply', jsonb_build_array(
          jsonb_build_object('entity', 'bill_bags', 'row', jsonb_build_object('id', p->>'billBagId',
            'bill_no', p->>'billNo', 'parent_code', p->>'parentCode', 'removed_at', p->>'at')),
          jsonb_build_object('entity', 'bills', 'row', to_jsonb(bill))));
    END IF;
    INSERT INTO bill_bags (id, bill_no, parent_code, added_at, added_by, station_id)
    VALUES ((p->>'billBagId')::uuid, p->>'billNo', p->>'parentCode', (p->>'at')::bigint,
      p->'scan'->>'username', st.id)
    ON CONFLICT (parent_code) WHERE removed_at IS NULL DO NOTHING RETURNING id INTO ins;
    IF ins IS NULL THEN
      SELECT * INTO ex FROM bill_bags WHERE parent_code = p->>'parentCode' AND removed_at IS NULL;
      IF ex.bill_no = p->>'billNo' THEN
        res := jsonb_build_object('status', 'merged', 'apply', jsonb_build_array(
          jsonb_build_object('entity', 'bill_bags', 'row', jsonb_build_object('id', p->>'billBagId',
            'bill_no', p->>'billNo', 'parent_code', p->>'parentCode', 'removed_at', p->>'at')),
          jsonb_build_object('entity', 'bill_bags', 'row', to_jsonb(ex))));
      ELSE
        cid := record_conflict(st.id, p_seq, p_op, 'parent_on_other_bill', p->>'parentCode', p, to_jsonb(ex));
        res := jsonb_build_object('status', 'conflict', 'kind', 'parent_on_other_bill', 'conflictId', cid,
          'local', p, 'central', to_jsonb(ex), 'apply', jsonb_build_array(
            jsonb_build_object('entity', 'bill_bags', 'row', jsonb_build_object('id', p->>'billBagId',
              'bill_no', p->>'billNo', 'parent_code', p->>'parentCode', 'removed_at', p->>'at')),
            jsonb_build_object('entity', 'bill_bags', 'row', to_jsonb(ex))));
      END IF;
    END IF;
  WHEN 'bill.removeParent' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    SELECT * INTO bill FROM bills WHERE bill_no = p->>'billNo' FOR NO KEY UPDATE;
    SELECT * INTO ex FROM bill_bags
    WHERE parent_code = p->>'parentCode' AND bill_no = p->>'billNo' AND removed_at IS NULL;
    IF FOUND AND bill.status <> 'open' THEN
      -- The bill was completed at the centre first: the parent stays on it, and goes back on it here.
      central := jsonb_build_object('billNo', bill.bill_no, 'status', bill.status, 'completedAt', bill.completed_at,
        'completedBy', bill.completed_by);
      cid := record_conflict(st.id, p_seq, p_op, 'bill_not_open', p->>'parentCode', p, central);
      RETURN jsonb_build_object('status', 'conflict', 'kind', 'bill_not_open', 'conflictId', cid, 'local', p,
        'central', central, 'apply', jsonb_build_array(
          jsonb_build_object('entity', 'bills', 'row', to_jsonb(bill)),
          jsonb_build_object('entity', 'bill_bags', 'restore', true, 'row', to_jsonb(ex))));
    END IF;
    UPDATE bill_bags SET removed_at = (p->>'at')::bigint, removed_by = p->'scan'->>'username'
    WHERE id = ex.id;
  WHEN 'bill.complete', 'bill.reopen' THEN
    UPDATE bills SET status = CASE p_op WHEN 'bill.complete' THEN 'completed' ELSE 'open' END,
      completed_at = CASE p_op WHEN 'bill.complete' THEN (p->>'at')::bigint END,
      completed_by = CASE p_op WHEN 'bill.complete' THEN p->>'by' END
    WHERE bill_no = p->>'billNo';
  WHEN 'user.upsert' THEN
    INSERT INTO users (id, username, display_name, role, dispatch_area, password_hash, badge_code, pin_hash, active,
      station_id, created_at)
    VALUES ((p->>'id')::uuid, p->>'username', p->>'displayName', p->>'role', p->>'dispatchArea', p->>'passwordHash',
      p->>'badgeCode', p->>'pinHash', coalesce((p->>'active')::boolean, true), st.id, (p->>'createdAt')::bigint)
    ON CONFLICT (username) DO UPDATE SET display_name = excluded.display_name, role = excluded.role,
      dispatch_area = excluded.dispatch_area, password_hash = excluded.password_hash,
      badge_code = excluded.badge_code, pin_hash = excluded.pin_hash, active = excluded.active, updated_at = now();
  WHEN 'station.update' THEN
    UPDATE stations SET name = coalesce(p->>'name', name), dispatch_area = coalesce(p->>'dispatchArea', dispatch_area),
      parent_capacity = coalesce((p->'profile'->>'parentCapacity')::int, parent_capacity)
    WHERE id = st.id;
  WHEN 'conflict.resolve' THEN
    UPDATE conflicts SET resolved_at = now(), resolution = p->>'resolution'
    WHERE id = (p->>'conflictId')::bigint AND station_id = st.id;
  ELSE
    cid := record_conflict(st.id, p_seq, p_op, 'unknown_op', p_op, p, NULL);
    res := jsonb_build_object('status', 'rejected', 'kind', 'unknown_op', 'conflictId', cid, 'local', p);
  END CASE;
  RETURN res;
END $$;
--> statement-breakpoint
-- One batch of a station's outbox, in one transaction: sequences already applied are skipped, a gap stops the
-- batch, and last_applied_seq moves with the applied rows. The station row is locked, so a batch resent while
-- the first copy is still running waits for it and then finds every sequence applied. Consecutive scans are
-- applied together (apply_scan_run); other operations one by one, in order. Every operation up to
-- lastAppliedSeq is acknowledged; "results" lists only those that were not simply applied (conflicts, merges,
-- rejections, and duplicates that had recorded conflicts).
CREATE OR REPLACE FUNCTION sync.push(p_station uuid, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; last bigint; ops sync_op[]; n int; i int; run_from int := 0; results jsonb; one jsonb;
  err jsonb := NULL;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, true);
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
      one := apply_op(st, ops[i].seq, ops[i].op, ops[i].payload);
      IF one IS NOT NULL THEN results := results || (jsonb_build_object('seq', ops[i].seq) || one); END IF;
    END IF;
    i := i + 1;
  END LOOP;
  last := last + n;
  UPDATE stations SET last_applied_seq = last, last_push_at = now() WHERE id = st.id;
  RETURN coalesce(err, '{}'::jsonb) || jsonb_build_object('results', results, 'lastAppliedSeq', last);
END $$;
--> statement-breakpoint
-- The pull horizon: the oldest transaction still running in THIS database (or, with none, the next xid). Every
-- change with a smaller xid is committed (or rolled back) and visible to the statements that follow. A running
-- transaction of another database on the same server cannot write here, so it does not hold the pulls back; one
-- whose database cannot be seen counts as this database's (late, never wrong).
CREATE FUNCTION public.pull_horizon() RETURNS xid8 LANGUAGE sql VOLATILE SET search_path = public, pg_temp AS $$
  WITH s AS (SELECT pg_current_snapshot() AS snap),
  running AS (
    SELECT x FROM s, pg_snapshot_xip(s.snap) AS x
    WHERE NOT EXISTS (
      SELECT 1 FROM pg_stat_activity a
      WHERE a.backend_xid::text = (x::text::numeric % 4294967296)::text
        AND a.datname IS DISTINCT FROM current_database())
    AND NOT EXISTS (
      SELECT 1 FROM pg_prepared_xacts p
      WHERE p.transaction::text = (x::text::numeric % 4294967296)::text AND p.database <> current_database()))
  SELECT coalesce((SELECT x FROM running ORDER BY x LIMIT 1), (SELECT pg_snapshot_xmax(snap) FROM s))
$$;
--> statement-breakpoint
-- Changes below the pull horizon (the oldest transaction running in this database), in (xid, id) order: a transaction that commits late has an
-- xid at or above that horizon, so it is read by a later pull, never skipped. The station's own writes are
-- left out (it has them), but the page and its cursor still cover them so the next pull starts after them.
CREATE OR REPLACE FUNCTION sync.pull(p_station uuid, p_protocol int, p_after_xid text, p_after_id bigint,
  p_limit int)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; horizon xid8; lim int := least(greatest(p_limit, 1), 10000); page jsonb; n int;
  last_xid xid8; last_id bigint;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, false);
  IF st.resync_required THEN RETURN jsonb_build_object('resync', true); END IF;
  horizon := pull_horizon();
  WITH c AS (
    SELECT * FROM changes WHERE (xid, id) > (p_after_xid::xid8, p_after_id) AND xid < horizon
    ORDER BY xid, id LIMIT lim)
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'xid', c.xid::text, 'entity', c.entity, 'row', c.row)
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
-- A new (or resyncing) station loads the centre's current state in pages instead of replaying the change log.
-- snapshot_start gives the horizon: every change of a transaction below it is visible to the pages; the station
-- then pulls the change log from (horizon, 0), so a row that changes while it pages is corrected afterwards.
CREATE FUNCTION sync.snapshot_start(p_station uuid, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, false);
  IF st.resync_required THEN UPDATE stations SET resync_required = false WHERE id = st.id; END IF;
  RETURN jsonb_build_object('xid', pull_horizon()::text,
    'counts', jsonb_build_object(
      'bags', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.bags'::regclass),
      'links', (SELECT reltuples::bigint FROM pg_class WHERE oid = 'public.links'::regclass)));
END $$;
--> statement-breakpoint
CREATE FUNCTION public.check_protocol(p_protocol int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF p_protocol <> 1 THEN
    RAISE EXCEPTION 'sync protocol % is not supported; the centre speaks 1', p_protocol USING ERRCODE = '08P01';
  END IF;
END $$;
--> statement-breakpoint
-- Pages of the current state, in key order after p_after ('' for the first page), at most 50,000 rows. Bags and
-- links go in id order: the stations' ids are time-ordered (uuidv7), so a new station appends to its id indexes
-- (and a child's link comes in about the order of the child) instead of writing all over them.
CREATE FUNCTION sync.snapshot_bags(p_station uuid, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, code text, kind text, dispatch_area text, first_seen_at bigint, station_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM calling_station(p_station, false);
  RETURN QUERY SELECT b.id, b.code, b.kind, b.dispatch_area, b.first_seen_at, b.station_id FROM bags b
    WHERE b.id > coalesce(nullif(p_after, '')::uuid, '00000000-0000-0000-0000-000000000000')
    ORDER BY b.id LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_links(p_station uuid, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, child_code text, parent_code text, linked_at bigint, linked_by text, station_id uuid,
  child_id uuid, parent_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM calling_station(p_station, false);
  -- With the bags' ids, which a new station took from the centre: it links them without looking codes up.
  -- (Scalar subqueries: an index lookup a row whatever the statistics say, never a hash join over all bags.)
  RETURN QUERY SELECT l.id, l.child_code, l.parent_code, l.linked_at, l.linked_by, l.station_id,
      (SELECT c.id FROM bags c WHERE c.code = l.child_code), (SELECT p.id FROM bags p WHERE p.code = l.parent_code)
    FROM (SELECT * FROM links x WHERE x.removed_at IS NULL
      AND x.id > coalesce(nullif(p_after, '')::uuid, '00000000-0000-0000-0000-000000000000')
      ORDER BY x.id LIMIT least(greatest(p_limit, 1), 50000)) l
    ORDER BY l.id;
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_bills(p_station uuid, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, bill_no text, destination text, vehicle_no text, capacity int, description text,
  status text, dispatch_area text, station_id uuid, created_at bigint, created_by text, completed_at bigint,
  completed_by text)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM calling_station(p_station, false);
  RETURN QUERY SELECT b.id, b.bill_no, b.destination, b.vehicle_no, b.capacity, b.description, b.status,
    b.dispatch_area, b.station_id, b.created_at, b.created_by, b.completed_at, b.completed_by FROM bills b
    WHERE b.bill_no > p_after ORDER BY b.bill_no LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_bill_bags(p_station uuid, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, bill_no text, parent_code text, added_at bigint, added_by text, station_id uuid)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM calling_station(p_station, false);
  RETURN QUERY SELECT x.id, x.bill_no, x.parent_code, x.added_at, x.added_by, x.station_id FROM bill_bags x
    WHERE x.removed_at IS NULL AND x.parent_code > p_after ORDER BY x.parent_code
    LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.snapshot_users(p_station uuid, p_protocol int, p_after text, p_limit int)
RETURNS TABLE (id uuid, username text, display_name text, role text, dispatch_area text, password_hash text,
  badge_code text, pin_hash text, active boolean, station_id uuid, created_at bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  PERFORM check_protocol(p_protocol);
  PERFORM calling_station(p_station, false);
  RETURN QUERY SELECT u.id, u.username, u.display_name, u.role, u.dispatch_area, u.password_hash, u.badge_code,
    u.pin_hash, u.active, u.station_id, u.created_at FROM users u
    WHERE u.username > p_after ORDER BY u.username LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sync FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA sync TO baglink_station;
--> statement-breakpoint
-- A sync call is many short statements over a handful of rows each; JIT compiling them (planned cost above
-- jit_above_cost once the tables are large) costs tens of milliseconds a statement and saves nothing.
DO $$
DECLARE f regprocedure;
BEGIN
  FOR f IN SELECT p.oid::regprocedure FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = 'sync' LOOP
    EXECUTE format('ALTER FUNCTION %s SET jit = off', f);
  END LOOP;
END $$;

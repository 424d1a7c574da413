-- The holes an adversarial review of issue 12 (i12-break) found at the centre:
-- 1. A user of several areas (or an admin) changes only through IT (`central set-user`): a station's user.upsert
--    of such a user is refused (user_of_several_areas), recorded, and shown as a conflict; a station changes only
--    users whose areas are its own area alone.
-- 2. bill.addParent of a parent bag of another area is refused (other_area), whatever the bill's area.
-- 3. A scan's bag.created effect naming another area is refused (bag_other_area in refusals): a station creates
--    bags only in its own area, stored as the station's area.
-- 4. An admin goes (with hashes) only to the stations of the areas IT gave them; an admin with no areas is an
--    admin of all areas and goes to every station. Admin rows are touched once here so that every station pulls
--    them again and deletes ("forget") those it should not hold.
-- 5. A station cannot take the name of another station not revoked (case-insensitive): a station.update
--    carries the station's own name (its PC's host name unless an admin changed it) with every settings change,
--    so a taken name is not refused as a whole operation but left out: the centre keeps the name it had and
--    records station_name_taken in refusals for IT.
-- 6. A bill's and a bag's area are stored upper-case, as stations' areas are (existing rows too).
-- 7. A push whose batch has more than 5,000 operations (a station sends 500), a seq that is not a whole number
--    of at least 1, or an operation without an op name or an object payload is refused whole with a sentence
--    (SQLSTATE 22023; the station shows it as its last sync error) and nothing of it is applied.
-- As in 0010, and holes 1 and 2 above.
CREATE OR REPLACE FUNCTION public.authorize_op(st public.stations, p_seq bigint, p_op text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE kind text := NULL; subject text; cen jsonb := NULL; ex users; area text; fix jsonb := '[]'::jsonb;
  actor text := coalesce(p->'scan'->>'username', p->>'by'); cid bigint; made_at uuid; made_by text;
  known boolean;
BEGIN
  CASE p_op
  WHEN 'user.upsert' THEN
    subject := p->>'username';
    SELECT * INTO ex FROM users WHERE username = p->>'username';
    known := FOUND;
    -- A user the centre has is judged by the areas IT gave them (a supervisor of several areas changes their own
    -- PIN at a station of any of them; a station never changes a user's areas); a new one by the area it names.
    IF p->>'role' NOT IN ('dock', 'supervisor') THEN
      kind := 'user_role_not_allowed';
    ELSIF known AND (ex.role = 'admin' OR NOT st.dispatch_area = ANY (ex.areas)) THEN
      kind := CASE WHEN ex.role = 'admin' THEN 'user_role_not_allowed' ELSE 'user_other_area' END;
    ELSIF known AND NOT ex.areas <@ ARRAY[st.dispatch_area] THEN
      -- A user of several areas changes only through IT: the centre cannot tell her own new PIN from a hash
      -- this station chose for her, which every station of her other areas would take.
      kind := 'user_of_several_areas';
    ELSIF NOT known AND coalesce(upper(p->>'dispatchArea'), st.dispatch_area) <> st.dispatch_area THEN
      kind := 'user_other_area';
    END IF;
    IF kind IS NOT NULL THEN
      cen := jsonb_build_object('username', subject, 'stationArea', st.dispatch_area);
      -- Her own change (a new PIN) stays on this station until IT changes her: putting the centre's row back
      -- would ask her for a new PIN at every login.
      IF ex.id IS NOT NULL AND kind <> 'user_of_several_areas' AND NOT user_row_for(st, to_jsonb(ex)) ? 'forget' THEN
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
    -- A parent of another area goes on no bill of this one (the bill's own area was all 0010 checked).
    IF kind IS NULL AND p_op = 'bill.addParent' THEN
      SELECT b.dispatch_area INTO area FROM bags b WHERE b.code = p->>'parentCode';
      IF FOUND AND area <> st.dispatch_area THEN
        kind := 'other_area';
        subject := p->>'parentCode';
        cen := jsonb_build_object('parent', p->>'parentCode', 'parentArea', area, 'stationArea', st.dispatch_area);
        fix := jsonb_build_array(jsonb_build_object('entity', 'bill_bags', 'row', jsonb_build_object(
          'id', p->>'billBagId', 'bill_no', p->>'billNo', 'parent_code', p->>'parentCode', 'removed_at', p->>'at')));
      END IF;
    END IF;
  WHEN 'link.remove', 'link.move' THEN
    subject := p->>'childCode';
    SELECT s.dispatch_area, l.station_id, l.linked_by, to_jsonb(l) INTO area, made_at, made_by, cen
    FROM links l JOIN stations s ON s.id = l.station_id
    WHERE l.removed_at IS NULL
      AND (l.id = (CASE p_op WHEN 'link.move' THEN p->>'removedLinkId' ELSE p->>'linkId' END)::uuid
      OR (l.child_code = p->>'childCode' AND l.parent_code = coalesce(p->>'parentCode', p->>'fromParent')))
    LIMIT 1;
    IF FOUND AND area <> st.dispatch_area THEN
      kind := 'link_other_area';
    ELSIF FOUND AND made_at <> st.id AND made_by IS DISTINCT FROM actor
      AND coalesce(actor_role(st, actor), 'dock') = 'dock' THEN
      kind := 'link_other_station';
    END IF;
    IF kind IS NOT NULL THEN fix := jsonb_build_array(jsonb_build_object('entity', 'links', 'row', cen)); END IF;
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
-- As in 0009, and hole 3 above.
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
  -- Judged once per actor of the run (MATERIALIZED: otherwise the check is pushed below the grouping and runs
  -- once per scan, about a third of a push).
  WITH a AS MATERIALIZED (
    SELECT o.payload->'scan'->>'username' AS actor, min(o.seq) AS seq, count(*) AS n FROM unnest(p_ops) o
    WHERE o.payload->'scan'->>'username' IS NOT NULL GROUP BY 1)
  INSERT INTO refusals (station_id, seq, op, kind, actor, flagged_only, detail)
  SELECT st.id, a.seq, 'scan', 'actor_not_of_station', a.actor, true,
    jsonb_build_object('stationArea', st.dispatch_area, 'scans', a.n)
  FROM a
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

  -- A station creates bags only in its own area: the others are refused (recorded for IT, one row per run).
  INSERT INTO refusals (station_id, seq, op, kind, actor, subject, detail)
  SELECT st.id, min(e.seq), 'scan', 'bag_other_area', min(e.actor), min(e.code),
    jsonb_build_object('stationArea', st.dispatch_area, 'bags', jsonb_agg(jsonb_build_object('code', e.code,
      'area', e.area)))
  FROM unnest(effects) e
  WHERE e.type = 'bag.created' AND upper(coalesce(e.area, st.dispatch_area)) <> st.dispatch_area
  HAVING count(*) > 0;

  -- Bags first seen in this run (a link to a bag the centre lacks goes the slow way, which creates it).
  INSERT INTO bags (id, code, kind, dispatch_area, first_seen_at, station_id)
  SELECT DISTINCT ON (e.code) coalesce(e.id, gen_random_uuid()), e.code, e.kind, st.dispatch_area, e.at, st.id
  FROM unnest(effects) e
  WHERE e.type = 'bag.created' AND upper(coalesce(e.area, st.dispatch_area)) = st.dispatch_area
  ORDER BY e.code, e.seq
  ON CONFLICT (code) DO NOTHING;

  IF coalesce(array_length(reqs, 1), 0) = 0 THEN RETURN res; END IF;

  -- Each request judged in one statement; the parents' rows are locked (in code order) so no other station
  -- fills them between this count and this run's links.
  WITH q AS (SELECT u.*, count(*) OVER (PARTITION BY u.child) AS times FROM unnest(reqs) u),
  actors AS MATERIALIZED (SELECT d.actor, actor_role(st, d.actor) AS role FROM (SELECT DISTINCT q.actor FROM q) d),
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
        OR coalesce((SELECT x.role FROM actors x WHERE x.actor IS NOT DISTINCT FROM q.actor), 'dock') <> 'dock'),
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

  -- Every link went in at once (the usual case): nothing is left for create_link.
  IF slow = '{}' AND coalesce(array_length(done, 1), 0) = coalesce(array_length(fast, 1), 0) THEN RETURN res; END IF;
  FOR r IN
    SELECT * FROM (
      SELECT * FROM unnest(slow)
      UNION ALL
      SELECT f.* FROM unnest(fast) f LEFT JOIN unnest(done) AS d(child) ON d.child = f.child WHERE d.child IS NULL) x
    ORDER BY x.seq
  LOOP
    one := create_link(st, r.seq, 'scan', r.id, r.child, r.parent, r.at, r.actor);
    IF one IS NOT NULL THEN res := res || (jsonb_build_object('seq', r.seq) || one); END IF;
  END LOOP;
  RETURN res;
END $$;

--> statement-breakpoint
-- As in 0004, and an admin only at the stations of their areas (none: every area).
CREATE OR REPLACE FUNCTION public.user_row_for(st public.stations, r jsonb) RETURNS jsonb LANGUAGE sql STABLE
SET search_path = public, pg_temp AS $$
  SELECT CASE
    WHEN coalesce((r->>'active')::boolean, true)
      AND (r->>'role' = 'admin' AND coalesce(jsonb_array_length(r->'areas'), 0) = 0
        OR st.dispatch_area = ANY (ARRAY(SELECT jsonb_array_elements_text(r->'areas'))))
    THEN r
    ELSE jsonb_build_object('id', r->'id', 'username', r->'username', 'forget', true)
  END
$$;

--> statement-breakpoint
-- As in 0004, with the admins user_row_for sends.
CREATE OR REPLACE FUNCTION sync.snapshot_users(p_station uuid, p_proof text, p_protocol int, p_after text,
  p_limit int)
RETURNS TABLE (id uuid, username text, display_name text, role text, dispatch_area text, password_hash text,
  badge_code text, pin_hash text, active boolean, station_id uuid, created_at bigint)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  PERFORM check_protocol(p_protocol);
  st := station_by_proof(p_station, p_proof, false);
  RETURN QUERY SELECT u.id, u.username, u.display_name, u.role, u.dispatch_area, u.password_hash, u.badge_code,
    u.pin_hash, u.active, u.station_id, u.created_at FROM users u
    WHERE u.username > p_after AND u.active
      AND (u.role = 'admin' AND u.areas = '{}' OR st.dispatch_area = ANY (u.areas))
    ORDER BY u.username LIMIT least(greatest(p_limit, 1), 50000);
END $$;
--> statement-breakpoint
ALTER FUNCTION sync.snapshot_users(uuid, text, int, text, int) SET jit = off;

--> statement-breakpoint
-- Every station pulls the admins again: those of other areas come down as "forget" and are deleted there.
UPDATE users SET updated_at = now() WHERE role = 'admin' AND areas <> '{}';

--> statement-breakpoint
CREATE FUNCTION public.upper_area() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  NEW.dispatch_area := upper(NEW.dispatch_area);
  RETURN NEW;
END $$;

--> statement-breakpoint
CREATE TRIGGER bills_upper_area BEFORE INSERT OR UPDATE OF dispatch_area ON public.bills FOR EACH ROW
  WHEN (NEW.dispatch_area IS DISTINCT FROM upper(NEW.dispatch_area)) EXECUTE FUNCTION public.upper_area();

--> statement-breakpoint
CREATE TRIGGER bags_upper_area BEFORE INSERT OR UPDATE OF dispatch_area ON public.bags FOR EACH ROW
  WHEN (NEW.dispatch_area IS DISTINCT FROM upper(NEW.dispatch_area)) EXECUTE FUNCTION public.upper_area();

--> statement-breakpoint
UPDATE bills SET dispatch_area = upper(dispatch_area) WHERE dispatch_area <> upper(dispatch_area);

--> statement-breakpoint
UPDATE bags SET dispatch_area = upper(dispatch_area) WHERE dispatch_area <> upper(dispatch_area);

--> statement-breakpoint
-- As in 0005, and hole 7 above: the batch's shape is checked before anything of it is read or applied.
CREATE OR REPLACE FUNCTION sync.push(p_station uuid, p_proof text, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; n int; bad jsonb;
BEGIN
  IF p_protocol <> 2 OR jsonb_typeof(p_ops) <> 'object' THEN
    RETURN jsonb_build_object('error', 'protocol', 'supported', 2);
  END IF;
  st := station_of(p_station, p_proof, (p_ops->>'incarnation')::int, true);
  IF jsonb_typeof(p_ops->'ops') IS DISTINCT FROM 'array' THEN
    RAISE EXCEPTION 'Push refused: the batch has no list of operations.' USING ERRCODE = '22023';
  END IF;
  n := jsonb_array_length(p_ops->'ops');
  IF n > 5000 THEN
    RAISE EXCEPTION 'Push refused: % operations in one batch; send at most 5000.', n USING ERRCODE = '22023';
  END IF;
  SELECT v INTO bad FROM jsonb_array_elements(p_ops->'ops') v
  WHERE jsonb_typeof(v->'seq') IS DISTINCT FROM 'number' OR (v->>'seq')::numeric < 1
    OR (v->>'seq')::numeric <> trunc((v->>'seq')::numeric)
    OR jsonb_typeof(v->'op') IS DISTINCT FROM 'string' OR jsonb_typeof(v->'payload') IS DISTINCT FROM 'object'
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Push refused: operation % (seq %) needs a seq of 1 or more, an op name and an object payload.',
      coalesce(bad->>'op', '?'), coalesce(bad->>'seq', 'none') USING ERRCODE = '22023';
  END IF;
  RETURN push_as(st, p_protocol, p_ops);
END $$;
--> statement-breakpoint
ALTER FUNCTION sync.push(uuid, text, int, jsonb) SET jit = off;
--> statement-breakpoint
-- Hole 5: the name a station sends is kept only when no other station (not revoked) has it.
CREATE FUNCTION public.station_name_free() RETURNS trigger LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM stations s WHERE s.id <> NEW.id AND s.revoked_at IS NULL
      AND lower(s.name) = lower(NEW.name)) THEN
    INSERT INTO refusals (station_id, op, kind, subject, detail)
    VALUES (NEW.id, 'station.update', 'station_name_taken', NEW.name, jsonb_build_object('kept', OLD.name));
    NEW.name := OLD.name;
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER stations_name_free BEFORE UPDATE OF name ON public.stations FOR EACH ROW
  WHEN (lower(NEW.name) IS DISTINCT FROM lower(OLD.name)) EXECUTE FUNCTION public.station_name_free();
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

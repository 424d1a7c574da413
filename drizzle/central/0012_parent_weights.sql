-- Issue 16: a parent's weight reaches the centre as the operations 'weight' (one weighing, or "weigh later") and
-- 'weight.ack' (a supervisor's acknowledgement of a weight that is off), under the centre's area checks:
-- - a station records weights only for parent bags the centre has, of its own dispatch area (weight_not_parent,
--   weight_other_area: refused, recorded and shown to the station as a conflict; its own weighing stays there);
--   a weighing by a user who may not work at the station is kept and flagged for IT (actor_not_of_station), as a
--   scan is;
-- - only a supervisor or an admin of the station's area acknowledges (a dock worker's acknowledgement is refused
--   as ack_not_supervisor), only a weighing the centre has of that parent (weight_unknown), of the station's area,
--   whose check was off (weight_not_off); the first acknowledgement stands;
-- - a weighing whose values make no sense (kg below 0 or above 100,000, not a number, a state or check the station
--   does not make, no id or parent) is refused like a malformed batch, with SQLSTATE 22023 and a sentence: the
--   station then sends that operation alone and it is recorded as invalid_op.
-- The station's weight id is parent_weights' primary key, so a weighing is kept once whatever is sent again.
-- Nothing here runs on the scan path (apply_scan_run is unchanged, and no trigger is added to links or scans):
-- whether a weight went stale is derived when it is read (parent_weight_now), not written when links change.
-- Weights are not in the change log: other stations do not pull them (an older station stops its pull on a table
-- it does not know).
CREATE TABLE "parent_weights" (
	"id" uuid PRIMARY KEY NOT NULL,
	"parent_code" text NOT NULL,
	"state" text NOT NULL,
	"kg" double precision,
	"tare_kg" double precision,
	"child_count" integer NOT NULL,
	"expected_kg" double precision,
	"check_result" text DEFAULT 'none' NOT NULL,
	"scale" text,
	"raw" text,
	"username" text,
	"station_id" uuid NOT NULL,
	"at" bigint NOT NULL,
	"ack_by" text,
	"ack_at" bigint,
	"ack_station_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "parent_weights_state_ck" CHECK ("state" IN ('recorded', 'later')),
	CONSTRAINT "parent_weights_check_ck" CHECK ("check_result" IN ('none', 'ok', 'off')),
	CONSTRAINT "parent_weights_kg_ck" CHECK (("state" = 'recorded') = ("kg" IS NOT NULL))
);
--> statement-breakpoint
CREATE INDEX "parent_weights_parent_idx" ON "parent_weights" USING btree ("parent_code", "at");
--> statement-breakpoint
-- Whether v is a JSON number from lo to hi (whole: and an integer); CASE, so nothing else is ever cast.
CREATE FUNCTION public.json_number_in(v jsonb, lo numeric, hi numeric, whole boolean DEFAULT false) RETURNS boolean
LANGUAGE sql IMMUTABLE SET search_path = public, pg_temp AS $$
  SELECT CASE WHEN jsonb_typeof(v) = 'number'
    THEN v::text::numeric BETWEEN lo AND hi AND (NOT whole OR v::text::numeric = trunc(v::text::numeric))
    ELSE false END
$$;
--> statement-breakpoint
-- Why a weight operation cannot be read as one (null when it can), against the values a station sends.
CREATE FUNCTION public.weight_problem(p jsonb) RETURNS text LANGUAGE sql IMMUTABLE
SET search_path = public, pg_temp AS $$
  SELECT CASE
    WHEN jsonb_typeof(w) IS DISTINCT FROM 'object' THEN 'has no weight'
    WHEN coalesce(w->>'id', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      THEN 'has no weight id'
    WHEN jsonb_typeof(w->'parentCode') IS DISTINCT FROM 'string' OR w->>'parentCode' = '' THEN 'names no parent'
    WHEN coalesce(w->>'state', '') NOT IN ('recorded', 'later')
      THEN 'has the state "' || coalesce(w->>'state', 'none') || '"'
    WHEN coalesce(w->>'check', 'none') NOT IN ('none', 'ok', 'off') THEN 'has the check "' || (w->>'check') || '"'
    WHEN w->>'state' = 'recorded' AND NOT json_number_in(w->'kg', 0, 100000)
      THEN 'has ' || coalesce(w->>'kg', 'no') || ' kg (0 to 100000 kg)'
    WHEN w->>'state' = 'later' AND coalesce(jsonb_typeof(w->'kg'), 'null') <> 'null'
      THEN 'is "weigh later" but has a weight'
    WHEN coalesce(jsonb_typeof(w->'tareKg'), 'null') <> 'null' AND NOT json_number_in(w->'tareKg', 0, 1000)
      THEN 'has a tare of ' || (w->>'tareKg') || ' kg (0 to 1000 kg)'
    WHEN coalesce(jsonb_typeof(w->'expectedKg'), 'null') <> 'null' AND NOT json_number_in(w->'expectedKg', 0, 1000000)
      THEN 'expects ' || (w->>'expectedKg') || ' kg'
    WHEN NOT json_number_in(w->'childCount', 0, 100000, true)
      THEN 'has ' || coalesce(w->>'childCount', 'no') || ' children'
    WHEN NOT json_number_in(w->'at', 0, 9e15, true) THEN 'has no time'
  END
  FROM (SELECT p->'weight' AS w) x
$$;
--> statement-breakpoint
-- Refuses (22023, nothing of the batch applied) a weighing whose values make no sense.
CREATE FUNCTION public.check_weight(p jsonb) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
DECLARE problem text := weight_problem(p);
BEGIN
  IF problem IS NOT NULL THEN
    RAISE EXCEPTION 'Push refused: a weighing of parent % %: update the station software, or ask IT to check the station''s scale.',
      coalesce(p->'weight'->>'parentCode', '?'), problem USING ERRCODE = '22023';
  END IF;
END $$;
--> statement-breakpoint
-- Refuses (22023) an acknowledgement that names no weighing, parent, person or time.
CREATE FUNCTION public.check_weight_ack(p jsonb) RETURNS void LANGUAGE plpgsql
SET search_path = public, pg_temp AS $$
BEGIN
  IF coalesce(p->>'weightId', '') !~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    OR jsonb_typeof(p->'parentCode') IS DISTINCT FROM 'string' OR jsonb_typeof(p->'by') IS DISTINCT FROM 'string'
    OR NOT json_number_in(p->'at', 0, 9e15, true) THEN
    RAISE EXCEPTION 'Push refused: the acknowledgement of a weight of parent % needs the weighing''s id, the parent, who acknowledged and when; update the station software.',
      coalesce(p->>'parentCode', '?') USING ERRCODE = '22023';
  END IF;
END $$;
--> statement-breakpoint
-- As in 0011, and the weight operations' checks (above).
CREATE OR REPLACE FUNCTION public.authorize_op(st public.stations, p_seq bigint, p_op text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE kind text := NULL; subject text; cen jsonb := NULL; ex users; area text; fix jsonb := '[]'::jsonb;
  actor text := coalesce(p->'scan'->>'username', p->>'by'); cid bigint; made_at uuid; made_by text;
  known boolean; bag_kind text; w parent_weights;
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
  WHEN 'weight' THEN
    PERFORM check_weight(p);
    subject := p->'weight'->>'parentCode';
    actor := p->'weight'->>'username';
    SELECT b.kind, b.dispatch_area INTO bag_kind, area FROM bags b WHERE b.code = subject;
    IF bag_kind IS DISTINCT FROM 'parent' THEN
      kind := 'weight_not_parent';
    ELSIF area <> st.dispatch_area THEN
      kind := 'weight_other_area';
    ELSIF actor IS NOT NULL AND actor_role(st, actor) IS NULL THEN
      -- Weighed by someone who may not work here: kept (the bag was on the scale) and flagged for IT, as a scan is.
      PERFORM record_refusal(st, p_seq, p_op, 'actor_not_of_station', actor, subject,
        jsonb_build_object('stationArea', st.dispatch_area), true);
    END IF;
    IF kind IS NOT NULL THEN
      cen := jsonb_build_object('parent', subject, 'parentKind', bag_kind, 'parentArea', area,
        'stationArea', st.dispatch_area);
    END IF;
  WHEN 'weight.ack' THEN
    PERFORM check_weight_ack(p);
    subject := p->>'parentCode';
    SELECT * INTO w FROM parent_weights x WHERE x.id = (p->>'weightId')::uuid;
    known := FOUND AND w.parent_code = subject;
    SELECT b.dispatch_area INTO area FROM bags b WHERE b.code = w.parent_code;
    IF NOT known THEN
      kind := 'weight_unknown';
    ELSIF area IS DISTINCT FROM st.dispatch_area THEN
      kind := 'weight_other_area';
    ELSIF coalesce(actor_role(st, actor), 'dock') = 'dock' THEN
      -- Only a supervisor or an admin who may work at this station acknowledges a weight that is off.
      kind := 'ack_not_supervisor';
    ELSIF w.check_result <> 'off' THEN
      kind := 'weight_not_off';
    END IF;
    IF kind IS NOT NULL THEN
      cen := jsonb_build_object('parent', subject, 'weightId', p->>'weightId', 'check', w.check_result,
        'parentArea', area, 'stationArea', st.dispatch_area, 'by', actor, 'role', actor_role(st, actor));
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
-- As in 0002, and the two weight operations (authorize_op has judged them).
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
  WHEN 'weight' THEN
    -- The station's id for the weighing is the key: a weighing sent again (a recovery renumbering it) is kept once.
    INSERT INTO parent_weights (id, parent_code, state, kg, tare_kg, child_count, expected_kg, check_result, scale,
      raw, username, station_id, at)
    SELECT (x.w->>'id')::uuid, x.w->>'parentCode', x.w->>'state', (x.w->>'kg')::float8, (x.w->>'tareKg')::float8,
      (x.w->>'childCount')::int, (x.w->>'expectedKg')::float8, coalesce(x.w->>'check', 'none'), x.w->>'scale',
      x.w->>'raw', x.w->>'username', st.id, (x.w->>'at')::bigint
    FROM (SELECT p->'weight' AS w) x
    ON CONFLICT (id) DO NOTHING;
  WHEN 'weight.ack' THEN
    -- The first acknowledgement stands (two supervisors may have acknowledged the same weighing offline).
    UPDATE parent_weights SET ack_by = p->>'by', ack_at = (p->>'at')::bigint, ack_station_id = st.id
    WHERE id = (p->>'weightId')::uuid AND ack_at IS NULL;
  ELSE
    cid := record_conflict(st.id, p_seq, p_op, 'unknown_op', p_op, p, NULL);
    res := jsonb_build_object('status', 'rejected', 'kind', 'unknown_op', 'conflictId', cid, 'local', p);
  END CASE;
  RETURN res;
END $$;
--> statement-breakpoint
-- A parent's weight now: its newest weighing (by the station's time, then id) and where it stands: 'later'
-- ("weigh later"), 'stale' or 'recorded'. Stale means a link into or out of the parent was made or removed, or the
-- parent was scanned (made active) again, after the weighing. It is derived here when read, from links (indexed
-- by parent code) and scans (by code and time), not stored when links change: storing it would add a write to
-- the centre's scan path (every link of every scan, which the central bench measures); reading it costs two index
-- probes per parent. The times are the stations' clocks, as every time the centre compares.
CREATE VIEW public.parent_weight_now AS
SELECT w.parent_code, w.id AS weight_id,
  CASE
    WHEN w.state = 'later' THEN 'later'
    WHEN EXISTS (SELECT 1 FROM links l WHERE l.parent_code = w.parent_code
        AND (l.linked_at > w.at OR l.removed_at > w.at))
      OR EXISTS (SELECT 1 FROM scans s WHERE s.code = w.parent_code AND s.action = 'parent' AND s.at > w.at)
      THEN 'stale'
    ELSE 'recorded'
  END AS state,
  w.kg, w.tare_kg, w.child_count, w.expected_kg, w.check_result, w.ack_by, w.ack_at, w.scale, w.username,
  w.station_id, w.at
FROM parent_weights w
WHERE NOT EXISTS (SELECT 1 FROM parent_weights n WHERE n.parent_code = w.parent_code AND (n.at, n.id) > (w.at, w.id));
--> statement-breakpoint
-- Each bill's weight as the centre knows it: its parents, how many have a recorded weight that still holds
-- (weighed_parents) and their gross kg (recorded_kg), the children of the others (estimated_children: the
-- station's estimate is children x its profile's child weight, which the centre does not hold), and estimated:
-- some parent has no such weight. Bills from before weights (every bill of a centre upgraded to this version) have
-- no weighed parent, so they read as estimated.
CREATE VIEW public.bill_weights AS
SELECT b.bill_no, b.dispatch_area, b.status,
  count(bb.parent_code)::int AS parents,
  (count(*) FILTER (WHERE pw.state = 'recorded'))::int AS weighed_parents,
  coalesce(sum(pw.kg) FILTER (WHERE pw.state = 'recorded'), 0)::float8 AS recorded_kg,
  coalesce(sum(c.n) FILTER (WHERE pw.state IS DISTINCT FROM 'recorded'), 0)::int AS estimated_children,
  count(bb.parent_code) > count(*) FILTER (WHERE pw.state = 'recorded') AS estimated
FROM bills b
LEFT JOIN bill_bags bb ON bb.bill_no = b.bill_no AND bb.removed_at IS NULL
LEFT JOIN parent_weight_now pw ON pw.parent_code = bb.parent_code
LEFT JOIN LATERAL (SELECT count(*) AS n FROM links l WHERE l.parent_code = bb.parent_code AND l.removed_at IS NULL) c
  ON true
GROUP BY b.bill_no, b.dispatch_area, b.status;
--> statement-breakpoint
-- IT's to read; the pooled login reaches weights only through sync.push.
REVOKE ALL ON public.parent_weights, public.parent_weight_now, public.bill_weights FROM PUBLIC;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;

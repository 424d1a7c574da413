-- Sync functions, change-log triggers and the station role. Hand-written; applied once by `baglink central migrate`.
-- Stations log in as their own role, a member of baglink_station, which may only EXECUTE the functions in the
-- schema "sync". Those are SECURITY DEFINER with a fixed search_path and check the station id against
-- session_user. Tables in "public" grant nothing to anyone but their owner.
DO $$
BEGIN
  CREATE ROLE baglink_station NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
--> statement-breakpoint
REVOKE ALL ON SCHEMA public FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
--> statement-breakpoint
CREATE SCHEMA sync;
--> statement-breakpoint
REVOKE ALL ON SCHEMA sync FROM PUBLIC;
--> statement-breakpoint
GRANT USAGE ON SCHEMA sync TO baglink_station;
--> statement-breakpoint
CREATE FUNCTION public.log_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.changes (entity, row) VALUES (TG_TABLE_NAME, to_jsonb(NEW));
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER bags_log AFTER INSERT OR UPDATE ON public.bags FOR EACH ROW EXECUTE FUNCTION public.log_change();
--> statement-breakpoint
CREATE TRIGGER links_log AFTER INSERT OR UPDATE ON public.links FOR EACH ROW EXECUTE FUNCTION public.log_change();
--> statement-breakpoint
CREATE TRIGGER bills_log AFTER INSERT OR UPDATE ON public.bills FOR EACH ROW EXECUTE FUNCTION public.log_change();
--> statement-breakpoint
CREATE TRIGGER bill_bags_log AFTER INSERT OR UPDATE ON public.bill_bags FOR EACH ROW EXECUTE FUNCTION public.log_change();
--> statement-breakpoint
CREATE TRIGGER users_log AFTER INSERT OR UPDATE ON public.users FOR EACH ROW EXECUTE FUNCTION public.log_change();
--> statement-breakpoint
-- The station calling, or an error: the id must belong to the role that logged in.
CREATE FUNCTION public.calling_station(p_station uuid, p_lock boolean) RETURNS public.stations
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE st public.stations;
BEGIN
  IF p_lock THEN
    SELECT * INTO st FROM public.stations WHERE id = p_station AND role_name = session_user FOR UPDATE;
  ELSE
    SELECT * INTO st FROM public.stations WHERE id = p_station AND role_name = session_user;
  END IF;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'station % is not enrolled for this login', p_station USING ERRCODE = '42501';
  END IF;
  RETURN st;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.ensure_bag(p_station uuid, p_code text, p_kind text, p_area text, p_id uuid, p_at bigint)
RETURNS text LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE k text;
BEGIN
  INSERT INTO bags (id, code, kind, dispatch_area, first_seen_at, station_id)
  VALUES (coalesce(p_id, gen_random_uuid()), p_code, p_kind, p_area, p_at, p_station)
  ON CONFLICT (code) DO NOTHING;
  SELECT kind INTO k FROM bags WHERE code = p_code;
  RETURN k;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.record_conflict(p_station uuid, p_seq bigint, p_op text, p_kind text, p_subject text,
  p_local jsonb, p_central jsonb) RETURNS bigint LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE cid bigint;
BEGIN
  INSERT INTO conflicts (station_id, seq, op, kind, subject, local, central)
  VALUES (p_station, p_seq, p_op, p_kind, p_subject, p_local, p_central)
  ON CONFLICT (station_id, seq, subject) DO UPDATE SET kind = excluded.kind
  RETURNING id INTO cid;
  RETURN cid;
END $$;
--> statement-breakpoint
-- First commit wins: the partial unique index on the child's active link decides. Returns null when applied,
-- else a result naming the conflict and the central rows the station applies to correct itself.
CREATE FUNCTION public.create_link(st public.stations, p_seq bigint, p_op text, p_id uuid, p_child text,
  p_parent text, p_at bigint, p_by text) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE ck text; pk text; ex links; ins uuid; loc jsonb; cen jsonb; cid bigint; tomb jsonb;
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
  INSERT INTO links (id, child_code, parent_code, linked_at, linked_by, station_id)
  VALUES (p_id, p_child, p_parent, p_at, p_by, st.id)
  ON CONFLICT (child_code) WHERE removed_at IS NULL DO NOTHING
  RETURNING id INTO ins;
  IF ins IS NOT NULL THEN RETURN NULL; END IF;
  SELECT * INTO ex FROM links WHERE child_code = p_child AND removed_at IS NULL;
  IF ex.parent_code = p_parent THEN
    -- Both stations put the child in the same parent: no conflict, the station takes the centre's link id.
    RETURN jsonb_build_object('status', 'merged', 'apply',
      jsonb_build_array(jsonb_build_object('entity', 'links', 'row', to_jsonb(ex))));
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
CREATE FUNCTION public.remove_link(p_id uuid, p_child text, p_parent text, p_at bigint, p_by text) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  UPDATE links SET removed_at = p_at, removed_by = p_by WHERE id = p_id AND removed_at IS NULL;
  IF NOT FOUND THEN
    -- The station's link lost or merged: remove the centre's link of the same child in the same parent.
    UPDATE links SET removed_at = p_at, removed_by = p_by
    WHERE child_code = p_child AND parent_code = p_parent AND removed_at IS NULL;
  END IF;
END $$;
--> statement-breakpoint
CREATE FUNCTION public.record_scan(p_station uuid, p_seq bigint, s jsonb) RETURNS void
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
BEGIN
  IF s IS NULL OR jsonb_typeof(s) <> 'object' THEN RETURN; END IF;
  INSERT INTO scans (id, station_id, seq, at, raw, code, action, outcome, reason, username, scanner, parent_code,
    bill_no)
  VALUES ((s->>'id')::uuid, p_station, p_seq, (s->>'at')::bigint, s->>'raw', s->>'code', s->>'action',
    s->>'outcome', s->>'reason', s->>'username', s->>'scanner', s->>'parentCode', s->>'billNo')
  ON CONFLICT (id) DO NOTHING;
END $$;
--> statement-breakpoint
-- One operation of a station's outbox under the central rules. Returns its result (status and what to apply).
CREATE FUNCTION public.apply_op(st public.stations, p_seq bigint, p_op text, p jsonb) RETURNS jsonb
LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE e jsonb; r jsonb; res jsonb := NULL; ins uuid; ex bill_bags; cid bigint;
BEGIN
  IF p_op <> 'scan' THEN
    INSERT INTO audit (station_id, seq, op, payload) VALUES (st.id, p_seq, p_op, p);
  END IF;
  CASE p_op
  WHEN 'scan' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    FOR e IN SELECT value FROM jsonb_array_elements(coalesce(p->'effects', '[]'::jsonb)) LOOP
      IF e->>'type' = 'bag.created' THEN
        PERFORM ensure_bag(st.id, e->>'code', e->>'kind', e->>'dispatchArea', (e->>'id')::uuid, (e->>'at')::bigint);
      ELSIF e->>'type' = 'link.created' THEN
        r := create_link(st, p_seq, p_op, (e->>'id')::uuid, e->>'childCode', e->>'parentCode', (e->>'at')::bigint,
          p->'scan'->>'username');
        res := coalesce(r, res);
      END IF;
    END LOOP;
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
      cid := record_conflict(st.id, p_seq, p_op, 'bill_exists', p->>'billNo', p,
        (SELECT to_jsonb(b) FROM bills b WHERE b.bill_no = p->>'billNo'));
      res := jsonb_build_object('status', 'conflict', 'kind', 'bill_exists', 'conflictId', cid, 'local', p,
        'central', (SELECT to_jsonb(b) FROM bills b WHERE b.bill_no = p->>'billNo'), 'apply',
        jsonb_build_array(jsonb_build_object('entity', 'bills',
          'row', (SELECT to_jsonb(b) FROM bills b WHERE b.bill_no = p->>'billNo'))));
    END IF;
  WHEN 'bill.addParent' THEN
    PERFORM record_scan(st.id, p_seq, p->'scan');
    INSERT INTO bill_bags (id, bill_no, parent_code, added_at, added_by, station_id)
    VALUES ((p->>'billBagId')::uuid, p->>'billNo', p->>'parentCode', (p->>'at')::bigint,
      p->'scan'->>'username', st.id)
    ON CONFLICT (parent_code) WHERE removed_at IS NULL DO NOTHING RETURNING id INTO ins;
    IF ins IS NULL THEN
      SELECT * INTO ex FROM bill_bags WHERE parent_code = p->>'parentCode' AND removed_at IS NULL;
      IF ex.bill_no = p->>'billNo' THEN
        res := jsonb_build_object('status', 'merged', 'apply',
          jsonb_build_array(jsonb_build_object('entity', 'bill_bags', 'row', to_jsonb(ex))));
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
    UPDATE bill_bags SET removed_at = (p->>'at')::bigint, removed_by = p->'scan'->>'username'
    WHERE parent_code = p->>'parentCode' AND bill_no = p->>'billNo' AND removed_at IS NULL;
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
    UPDATE stations SET name = coalesce(p->>'name', name), dispatch_area = coalesce(p->>'dispatchArea', dispatch_area)
    WHERE id = st.id;
  WHEN 'conflict.resolve' THEN
    UPDATE conflicts SET resolved_at = now(), resolution = p->>'resolution'
    WHERE id = (p->>'conflictId')::bigint AND station_id = st.id;
  ELSE
    cid := record_conflict(st.id, p_seq, p_op, 'unknown_op', p_op, p, NULL);
    res := jsonb_build_object('status', 'rejected', 'kind', 'unknown_op', 'conflictId', cid, 'local', p);
  END CASE;
  RETURN coalesce(res, jsonb_build_object('status', 'applied'));
END $$;
--> statement-breakpoint
CREATE FUNCTION sync.hello(p_station uuid, p_protocol int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, false);
  RETURN jsonb_build_object('protocol', 1, 'name', st.name, 'dispatchArea', st.dispatch_area,
    'lastAppliedSeq', st.last_applied_seq);
END $$;
--> statement-breakpoint
-- One batch of a station's outbox, in one transaction: sequences already applied are skipped, a gap stops the
-- batch, and last_applied_seq moves with the applied rows. The station row is locked, so a batch resent while
-- the first copy is still running waits for it and then finds every sequence applied.
CREATE FUNCTION sync.push(p_station uuid, p_protocol int, p_ops jsonb) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; o jsonb; s bigint; last bigint; results jsonb := '[]'::jsonb; r jsonb; err jsonb := NULL;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, true);
  last := st.last_applied_seq;
  FOR o IN SELECT value FROM jsonb_array_elements(p_ops) ORDER BY (value->>'seq')::bigint LOOP
    s := (o->>'seq')::bigint;
    IF s <= last THEN
      -- Resent after a lost reply: report the conflicts the first copy recorded, change nothing.
      results := results || jsonb_build_object('seq', s, 'status', 'duplicate', 'conflicts',
        (SELECT coalesce(jsonb_agg(jsonb_build_object('conflictId', c.id, 'kind', c.kind, 'local', c.local,
          'central', c.central)), '[]'::jsonb) FROM conflicts c WHERE c.station_id = st.id AND c.seq = s));
      CONTINUE;
    END IF;
    IF s <> last + 1 THEN
      err := jsonb_build_object('error', 'gap', 'expected', last + 1, 'got', s);
      EXIT;
    END IF;
    r := apply_op(st, s, o->>'op', o->'payload');
    results := results || (jsonb_build_object('seq', s) || r);
    last := s;
  END LOOP;
  UPDATE stations SET last_applied_seq = last, last_push_at = now() WHERE id = st.id;
  RETURN coalesce(err, '{}'::jsonb) || jsonb_build_object('results', results, 'lastAppliedSeq', last);
END $$;
--> statement-breakpoint
-- Changes below the oldest running transaction, in (xid, id) order: a transaction that commits late has an
-- xid at or above that horizon, so it is read by a later pull, never skipped.
CREATE FUNCTION sync.pull(p_station uuid, p_protocol int, p_after_xid text, p_after_id bigint, p_limit int)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; horizon xid8; page jsonb; n int;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, false);
  IF st.resync_required AND p_after_id > 0 THEN RETURN jsonb_build_object('resync', true); END IF;
  horizon := pg_snapshot_xmin(pg_current_snapshot());
  SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'xid', c.xid::text, 'entity', c.entity, 'row', c.row)
    ORDER BY c.xid, c.id), '[]'::jsonb), count(*)
  INTO page, n
  FROM (SELECT * FROM changes WHERE (xid, id) > (p_after_xid::xid8, p_after_id) AND xid < horizon
        ORDER BY xid, id LIMIT least(greatest(p_limit, 1), 10000)) c;
  IF st.resync_required THEN UPDATE stations SET resync_required = false WHERE id = st.id; END IF;
  RETURN jsonb_build_object('changes', page, 'more', n >= least(greatest(p_limit, 1), 10000));
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA public FROM PUBLIC;
--> statement-breakpoint
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA sync FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA sync TO baglink_station;
--> statement-breakpoint
-- An operation the centre cannot apply at all (malformed: its batch failed even alone). Recorded as a rejection
-- and acknowledged so the station's outbox moves on; only the station's next sequence can be rejected.
CREATE FUNCTION sync.reject(p_station uuid, p_protocol int, p_seq bigint, p_op text, p_payload jsonb, p_reason text)
RETURNS jsonb LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE st stations; cid bigint;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  st := calling_station(p_station, true);
  IF p_seq <= st.last_applied_seq THEN
    RETURN jsonb_build_object('results', jsonb_build_array(jsonb_build_object('seq', p_seq, 'status', 'duplicate',
      'conflicts', '[]'::jsonb)), 'lastAppliedSeq', st.last_applied_seq);
  END IF;
  IF p_seq <> st.last_applied_seq + 1 THEN
    RETURN jsonb_build_object('error', 'gap', 'expected', st.last_applied_seq + 1, 'got', p_seq, 'results', '[]'::jsonb);
  END IF;
  cid := record_conflict(st.id, p_seq, p_op, 'invalid_op', p_op, jsonb_build_object('payload', p_payload,
    'reason', left(p_reason, 500)), NULL);
  UPDATE stations SET last_applied_seq = p_seq, last_push_at = now() WHERE id = st.id;
  RETURN jsonb_build_object('results', jsonb_build_array(jsonb_build_object('seq', p_seq, 'status', 'rejected',
    'kind', 'invalid_op', 'conflictId', cid, 'local', jsonb_build_object('op', p_op, 'reason', left(p_reason, 500)))),
    'lastAppliedSeq', p_seq);
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION sync.reject(uuid, int, bigint, text, jsonb, text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION sync.reject(uuid, int, bigint, text, jsonb, text) TO baglink_station;

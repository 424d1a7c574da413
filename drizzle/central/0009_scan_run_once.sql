-- A run of scans at less work per scan (issue 12, "Server work per scan"); apply_scan_run as in 0004 but:
-- - the actor's right to work at this station is judged once per actor of the run, not once per scan (the check
--   was pushed below the grouping, and in the link judgement evaluated for every request);
-- - a run whose links all went in at once skips the leftover loop, and the leftovers are found with an anti-join
--   instead of comparing every request with every link done (quadratic in the run's length).
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

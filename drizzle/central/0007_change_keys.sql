-- The change log records keys, not rows (issue 12, "Server work per scan"). Until now every written row was
-- copied into the log with to_jsonb: about two log rows per scan, a third of a push's WAL. From here on each
-- statement that writes a logged table adds one log row per 1,000 rows it wrote, holding their ids (keys), and
-- a pull joins the keys to the tables' current rows.
--
-- What a station sees changes in one way: a pulled row is the row as it is now, not its image when it was
-- written (a link made and then removed comes down removed, twice). The station's applier takes rows as states
-- (a removed link unlinks, an active one links), so the end state is the same. Rows already in the log keep
-- their images and are pulled as before: a station's cursor (xid, id) stays valid across this migration and no
-- station has to load the centre again. A key whose row no longer exists is skipped (no central table deletes
-- rows today). The pull still pages by (xid, id); a page holds at least one log row and otherwise at most
-- p_limit rows (more only when one log row alone is larger), so one large statement (IT's bulk change) comes down
-- in pages of its 1,000-key log rows.
ALTER TABLE "changes" ADD COLUMN "keys" uuid[];--> statement-breakpoint
ALTER TABLE "changes" ALTER COLUMN "row" DROP NOT NULL;--> statement-breakpoint
CREATE OR REPLACE FUNCTION public.log_changes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.changes (entity, station_id, keys)
  SELECT TG_TABLE_NAME, nullif(current_setting('baglink.station', true), '')::uuid, array_agg(k.id ORDER BY k.n)
  FROM (SELECT n.id, row_number() OVER () - 1 AS n FROM new_rows n) k
  GROUP BY k.n / 1000
  ORDER BY k.n / 1000;
  RETURN NULL;
END $$;
--> statement-breakpoint
-- As in 0004, reading the keys: log rows in (xid, id) order below the horizon, whole: the first, then each that
-- keeps the page within p_limit rows; the station's own log rows are covered by the cursor but not sent. Each key
-- is looked up in its table in the statement (to_jsonb: the snake_case row the old log carried; a function per
-- key cost twice the time of a pull of 0006).
CREATE OR REPLACE FUNCTION public.pull_as(st public.stations, p_protocol int, p_after_xid text, p_after_id bigint,
  p_limit int)
RETURNS jsonb LANGUAGE plpgsql SET search_path = public, pg_temp AS $$
DECLARE horizon xid8; lim int := least(greatest(p_limit, 1), 10000); page jsonb; fetched int; n int;
  last_xid xid8; last_id bigint;
BEGIN
  IF p_protocol <> 1 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 1); END IF;
  -- Seen by IT in central status; at most every 30 s, and never waiting behind this station's push.
  UPDATE stations SET last_pull_at = now() WHERE id = (SELECT s.id FROM stations s WHERE s.id = st.id
    AND (s.last_pull_at IS NULL OR s.last_pull_at < now() - interval '30 seconds') FOR UPDATE SKIP LOCKED);
  IF st.resync_required THEN RETURN jsonb_build_object('resync', true); END IF;
  horizon := pull_horizon();
  WITH c AS (
    SELECT x.*, sum(coalesce(cardinality(x.keys), 1)) OVER (ORDER BY x.xid, x.id)
      - coalesce(cardinality(x.keys), 1) AS before
    FROM (SELECT * FROM changes WHERE (xid, id) > (p_after_xid::xid8, p_after_id) AND xid < horizon
      ORDER BY xid, id LIMIT lim) x),
  p AS MATERIALIZED (SELECT * FROM c WHERE c.before = 0 OR c.before + coalesce(cardinality(c.keys), 1) <= lim),
  r AS (
    SELECT p.id, p.xid, p.entity, 0::bigint AS ord, p.row FROM p
    WHERE p.keys IS NULL AND p.station_id IS DISTINCT FROM st.id
    UNION ALL
    SELECT k.id, k.xid, k.entity, k.ord, CASE k.entity
        WHEN 'bags' THEN (SELECT to_jsonb(x) FROM bags x WHERE x.id = k.key)
        WHEN 'links' THEN (SELECT to_jsonb(x) FROM links x WHERE x.id = k.key)
        WHEN 'bills' THEN (SELECT to_jsonb(x) FROM bills x WHERE x.id = k.key)
        WHEN 'bill_bags' THEN (SELECT to_jsonb(x) FROM bill_bags x WHERE x.id = k.key)
        WHEN 'users' THEN (SELECT to_jsonb(x) FROM users x WHERE x.id = k.key) END
    FROM (SELECT p.id, p.xid, p.entity, u.key, u.ord FROM p, unnest(p.keys) WITH ORDINALITY AS u(key, ord)
      WHERE p.station_id IS DISTINCT FROM st.id) k)
  SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM p),
    (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'xid', r.xid::text, 'entity', r.entity,
        'row', CASE WHEN r.entity = 'users' THEN user_row_for(st, r.row) ELSE r.row END)
        ORDER BY r.xid, r.id, r.ord) FILTER (WHERE r.row IS NOT NULL), '[]'::jsonb) FROM r),
    (SELECT p.xid FROM p ORDER BY p.xid DESC, p.id DESC LIMIT 1),
    (SELECT p.id FROM p ORDER BY p.xid DESC, p.id DESC LIMIT 1)
  INTO fetched, n, page, last_xid, last_id;
  RETURN jsonb_build_object('changes', page, 'more', fetched >= lim OR n < fetched,
    'cursor', CASE WHEN n > 0 THEN jsonb_build_object('xid', last_xid::text, 'id', last_id) END);
END $$;

-- The pull horizon, seen from a station (issue 12): a long transaction at the centre (IT's psql left in
-- BEGIN, a report) holds the horizon back for every station, and a station that pulls nothing then looked idle.
-- horizon_wait tells the station, on the last page of its pull, that it is waiting for the centre and for how
-- long: when changes committed beyond the horizon exist that this station has not got (another station's or IT's,
-- never its own), and the transaction holding the horizon has run for HORIZON_WAIT_AFTER (5 s, above any push)
-- or longer. The age comes from pg_stat_activity (or pg_prepared_xacts for a prepared transaction), which the
-- function reads as the owner of sync.pull (SECURITY DEFINER), not as the pooled role.
-- sync.pull keeps its 0005 logic exactly and only adds 'waiting' ({seconds, xids} or null) to its reply.
CREATE FUNCTION public.horizon_wait(p_station uuid) RETURNS jsonb
LANGUAGE plpgsql VOLATILE SET search_path = public, pg_temp AS $$
DECLARE horizon xid8 := pull_horizon(); since timestamptz;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM changes WHERE xid >= horizon AND station_id IS DISTINCT FROM p_station) THEN
    RETURN NULL;
  END IF;
  SELECT min(t) INTO since FROM (
    SELECT a.xact_start AS t FROM pg_stat_activity a
    WHERE a.datname = current_database() AND a.backend_xid IS NOT NULL
      AND a.backend_xid::text = (horizon::text::numeric % 4294967296)::text
    UNION ALL
    SELECT p.prepared FROM pg_prepared_xacts p
    WHERE p.database = current_database() AND p.transaction::text = (horizon::text::numeric % 4294967296)::text) h;
  IF since IS NULL OR since > now() - interval '5 seconds' THEN RETURN NULL; END IF;
  RETURN jsonb_build_object('seconds', floor(extract(epoch FROM now() - since))::int,
    'xids', (pg_snapshot_xmax(pg_current_snapshot())::text::numeric - horizon::text::numeric)::bigint);
END $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION sync.pull(p_station uuid, p_proof text, p_protocol int, p_incarnation int,
  p_after_xid text, p_after_id bigint, p_limit int) RETURNS jsonb
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE reply jsonb;
BEGIN
  IF p_protocol <> 2 THEN RETURN jsonb_build_object('error', 'protocol', 'supported', 2); END IF;
  reply := pull_as(station_of(p_station, p_proof, p_incarnation, false), 1, p_after_xid, p_after_id, p_limit);
  IF reply ? 'changes' AND reply->>'more' = 'false' THEN
    reply := reply || jsonb_build_object('waiting', horizon_wait(p_station));
  END IF;
  RETURN reply;
END $$;
--> statement-breakpoint
REVOKE EXECUTE ON FUNCTION public.horizon_wait(uuid) FROM PUBLIC;

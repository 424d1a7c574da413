-- What the centre said at the last pull about its pull horizon: {"seconds", "xids"} while a long transaction
-- there holds this station's changes back, null otherwise (issue 12, "waiting for the centre").
ALTER TABLE `sync_state` ADD `horizon_wait` text;

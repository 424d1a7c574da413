-- Stations that synced before this migration already have both tables (the sync worker created them), so
-- every statement here is idempotent. central_id keeps the inline UNIQUE those stations have, so old and new
-- databases end up with the same schema.
CREATE TABLE IF NOT EXISTS `sync_conflicts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`central_id` integer NOT NULL UNIQUE,
	`seq` integer NOT NULL,
	`op` text NOT NULL,
	`kind` text NOT NULL,
	`local` text NOT NULL,
	`central` text,
	`created_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	`resolution` text
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS `sync_state` (
	`singleton` integer PRIMARY KEY NOT NULL,
	`cursor_xid` text DEFAULT '0' NOT NULL,
	`cursor_id` integer DEFAULT 0 NOT NULL,
	`last_push_at` integer,
	`last_pull_at` integer,
	`last_success_at` integer,
	`last_error` text,
	`last_error_at` integer,
	CONSTRAINT "sync_state_singleton_check" CHECK("sync_state"."singleton" = 1)
);
--> statement-breakpoint
INSERT OR IGNORE INTO `sync_state` (`singleton`) VALUES (1);

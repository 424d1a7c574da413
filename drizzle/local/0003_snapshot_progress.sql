CREATE TABLE `sync_snapshot` (
	`singleton` integer PRIMARY KEY NOT NULL,
	`horizon` text NOT NULL,
	`mode` text NOT NULL,
	`entity` text NOT NULL,
	`after` text NOT NULL,
	CONSTRAINT "sync_snapshot_singleton_check" CHECK("sync_snapshot"."singleton" = 1)
);
--> statement-breakpoint
CREATE TABLE `sync_snapshot_indexes` (
	`name` text PRIMARY KEY NOT NULL,
	`sql` text NOT NULL
);

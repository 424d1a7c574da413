ALTER TABLE `sync_state` ADD `incarnation` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `diverged` text;--> statement-breakpoint
ALTER TABLE `sync_state` ADD `recovery` text;
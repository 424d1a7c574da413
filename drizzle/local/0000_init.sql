CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`user_id` text,
	`action` text NOT NULL,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`before` text,
	`after` text,
	`station_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_log` (`entity`,`entity_id`,`at`);--> statement-breakpoint
CREATE INDEX `audit_at_idx` ON `audit_log` (`at`);--> statement-breakpoint
CREATE TABLE `bags` (
	`id` text PRIMARY KEY NOT NULL,
	`code` text NOT NULL,
	`kind` text NOT NULL,
	`dispatch_area` text NOT NULL,
	`child_count` integer DEFAULT 0 NOT NULL,
	`first_seen_at` integer NOT NULL,
	`first_seen_by` text,
	`station_id` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bags_code_uq` ON `bags` (`code`);--> statement-breakpoint
CREATE TABLE `bill_bags` (
	`id` text PRIMARY KEY NOT NULL,
	`bill_id` text NOT NULL,
	`parent_id` text NOT NULL,
	`added_at` integer NOT NULL,
	`added_by` text NOT NULL,
	`removed_at` integer,
	`removed_by` text,
	FOREIGN KEY (`bill_id`) REFERENCES `bills`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `bags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bill_bags_active_parent_uq` ON `bill_bags` (`parent_id`) WHERE "bill_bags"."removed_at" is null;--> statement-breakpoint
CREATE INDEX `bill_bags_bill_idx` ON `bill_bags` (`bill_id`,`added_at`);--> statement-breakpoint
CREATE TABLE `bills` (
	`id` text PRIMARY KEY NOT NULL,
	`bill_no` text NOT NULL,
	`destination` text NOT NULL,
	`vehicle_no` text NOT NULL,
	`capacity` integer NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`parent_count` integer DEFAULT 0 NOT NULL,
	`child_count` integer DEFAULT 0 NOT NULL,
	`dispatch_area` text NOT NULL,
	`station_id` text NOT NULL,
	`created_at` integer NOT NULL,
	`created_by` text NOT NULL,
	`completed_at` integer,
	`completed_by` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bills_bill_no_uq` ON `bills` (`bill_no`);--> statement-breakpoint
CREATE INDEX `bills_status_idx` ON `bills` (`status`,`created_at`);--> statement-breakpoint
CREATE TABLE `day_counters` (
	`day` text NOT NULL,
	`action` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `action`)
);
--> statement-breakpoint
CREATE TABLE `links` (
	`id` text PRIMARY KEY NOT NULL,
	`child_id` text NOT NULL,
	`parent_id` text NOT NULL,
	`linked_at` integer NOT NULL,
	`linked_by` text NOT NULL,
	`station_id` text NOT NULL,
	`scan_id` text,
	`removed_at` integer,
	`removed_by` text,
	FOREIGN KEY (`child_id`) REFERENCES `bags`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`parent_id`) REFERENCES `bags`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `links_active_child_uq` ON `links` (`child_id`) WHERE "links"."removed_at" is null;--> statement-breakpoint
CREATE INDEX `links_parent_idx` ON `links` (`parent_id`,`linked_at`);--> statement-breakpoint
CREATE INDEX `links_user_idx` ON `links` (`linked_by`,`linked_at`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`id` text NOT NULL,
	`op` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`sent_at` integer,
	`result` text
);
--> statement-breakpoint
CREATE INDEX `outbox_unsent_idx` ON `outbox` (`seq`) WHERE "outbox"."sent_at" is null;--> statement-breakpoint
CREATE TABLE `scan_counters` (
	`day` text NOT NULL,
	`hour` integer NOT NULL,
	`user_id` text NOT NULL,
	`action` text NOT NULL,
	`n` integer NOT NULL,
	PRIMARY KEY(`day`, `hour`, `user_id`, `action`)
);
--> statement-breakpoint
CREATE TABLE `scans` (
	`id` text PRIMARY KEY NOT NULL,
	`at` integer NOT NULL,
	`raw` text NOT NULL,
	`code` text NOT NULL,
	`action` text NOT NULL,
	`outcome` text NOT NULL,
	`reason` text,
	`user_id` text,
	`station_id` text NOT NULL,
	`scanner` text NOT NULL,
	`parent_code` text,
	`bill_no` text
);
--> statement-breakpoint
CREATE INDEX `scans_code_idx` ON `scans` (`code`,`at`);--> statement-breakpoint
CREATE TABLE `station` (
	`singleton` integer PRIMARY KEY NOT NULL,
	`station_id` text NOT NULL,
	`name` text NOT NULL,
	`dispatch_area` text NOT NULL,
	`profile` text NOT NULL,
	`active_parent_id` text,
	`active_parent_by` text,
	`scanners` text DEFAULT '[]' NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `totals` (
	`name` text PRIMARY KEY NOT NULL,
	`n` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `users` (
	`id` text PRIMARY KEY NOT NULL,
	`username` text NOT NULL,
	`display_name` text NOT NULL,
	`role` text NOT NULL,
	`dispatch_area` text,
	`password_hash` text NOT NULL,
	`badge_code` text,
	`pin_hash` text,
	`active` integer DEFAULT true NOT NULL,
	`failed_attempts` integer DEFAULT 0 NOT NULL,
	`locked_until` integer,
	`last_login_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `users_username_uq` ON `users` (`username`);--> statement-breakpoint
CREATE UNIQUE INDEX `users_badge_uq` ON `users` (`badge_code`) WHERE "users"."badge_code" is not null;
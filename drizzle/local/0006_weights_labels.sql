-- Issue 16: the station's scale and label printer, the weights of parents and the print queue.
-- station.scale / station.printer: the device settings as JSON (null: none attached).
-- station.weigh_pending_parent_id: a completed parent still waiting for its weight (cleared when weighed or
-- "weigh later"); with the profile's weightRequired the next parent waits for it.
ALTER TABLE `station` ADD `scale` text;--> statement-breakpoint
ALTER TABLE `station` ADD `printer` text;--> statement-breakpoint
ALTER TABLE `station` ADD `weigh_pending_parent_id` text;--> statement-breakpoint
-- One row per weighing (or "weigh later") of a parent; the newest row of a parent is its weight. stale_at is set
-- when the parent changed after the weighing (a child added, undone, moved or removed, the parent reopened).
CREATE TABLE `parent_weights` (
  `id` text PRIMARY KEY NOT NULL,
  `parent_id` text NOT NULL REFERENCES `bags`(`id`),
  `state` text NOT NULL CHECK (`state` IN ('recorded', 'later')),
  `kg` real,
  `tare_kg` real,
  -- A scale in net mode (a pallet or crate tared off on the scale itself) says so and sends its tare; kg stays the
  -- bag's own weight (net of the scale's tare), as the check and the bills use it.
  `scale_tare_kg` real,
  `scale_net` integer,
  `child_count` integer NOT NULL,
  `expected_kg` real,
  `check_result` text NOT NULL DEFAULT 'none' CHECK (`check_result` IN ('none', 'ok', 'off')),
  `ack_by` text,
  `ack_at` integer,
  `scale` text,
  `raw` text,
  `user_id` text,
  `station_id` text NOT NULL,
  `at` integer NOT NULL,
  `stale_at` integer,
  CHECK ((`state` = 'recorded') = (`kg` IS NOT NULL))
);--> statement-breakpoint
CREATE INDEX `parent_weights_parent` ON `parent_weights` (`parent_id`, `at`);--> statement-breakpoint
-- The dashboard and the end-of-day report count a day's weighings by `at`.
CREATE INDEX `parent_weights_at` ON `parent_weights` (`at`);--> statement-breakpoint
-- The dashboard's parents completed today without a current weight: today's full-parent reads only, not every
-- scan of the day (the dashboard reads maintained counters and small index ranges, never a day of scans).
CREATE INDEX `scans_parent_full_at` ON `scans` (`at`) WHERE `outcome` = 'parent_full';--> statement-breakpoint
CREATE INDEX `parent_weights_unacknowledged` ON `parent_weights` (`at`) WHERE `check_result` = 'off' AND `ack_at` IS NULL;--> statement-breakpoint
-- The label printer's queue (src-main/printer/queue.ts). A job is never deleted: sent and failed jobs are the
-- printer's history in look-up. IF NOT EXISTS: a test build of the queue created it before this migration.
CREATE TABLE IF NOT EXISTS `print_jobs` (
  `id` integer PRIMARY KEY AUTOINCREMENT,
  `parent_code` text NOT NULL,
  -- The children the label says: a parent completed again unchanged (after a restart) gets no second label.
  `child_count` integer,
  `reason` text NOT NULL CHECK (`reason` IN ('completed', 'reprint')),
  `requested_by` text,
  `layout` text NOT NULL CHECK (`layout` IN ('100x150mm', '4x2in')),
  `dpi` integer NOT NULL CHECK (`dpi` IN (203, 300)),
  `zpl` text NOT NULL,
  `state` text NOT NULL CHECK (`state` IN ('pending', 'sending', 'sent', 'sent_unconfirmed', 'failed')),
  `attempts` integer NOT NULL DEFAULT 0,
  `next_attempt_at` integer NOT NULL,
  `last_error` text,
  `last_error_detail` text,
  `created_at` integer NOT NULL,
  `updated_at` integer NOT NULL,
  `sent_at` integer
);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `print_jobs_open` ON `print_jobs` (`id`) WHERE `state` IN ('pending', 'sending');--> statement-breakpoint
CREATE INDEX IF NOT EXISTS `print_jobs_parent` ON `print_jobs` (`parent_code`, `id`);

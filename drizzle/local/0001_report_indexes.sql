CREATE INDEX `audit_user_idx` ON `audit_log` (`user_id`,`at`);--> statement-breakpoint
CREATE INDEX `bills_completed_idx` ON `bills` (`completed_at`);--> statement-breakpoint
CREATE INDEX `scans_at_idx` ON `scans` (`at`);
-- Issue 16: a scale in net mode (a pallet or crate tared off on the scale itself) says so and sends its tare; the
-- weighing keeps both. kg stays the bag's own weight (net of the scale's tare), as the check and the bills use it.
ALTER TABLE `parent_weights` ADD `scale_tare_kg` real;--> statement-breakpoint
ALTER TABLE `parent_weights` ADD `scale_net` integer;

-- Issue 16: the dashboard and the end-of-day report count a day's weighings by `at`; without this index each
-- read would walk every weighing the station ever made.
CREATE INDEX `parent_weights_at` ON `parent_weights` (`at`);

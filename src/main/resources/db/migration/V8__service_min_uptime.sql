-- How long a new container of the service must keep running before it counts as up, in milliseconds; null for Redock's
-- default (REDOCK_MIN_UPTIME). Zero: the engine saying it runs is enough.
ALTER TABLE service ADD COLUMN min_uptime_ms BIGINT;

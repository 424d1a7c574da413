-- Every statement a push runs (with the functions and triggers it calls) gets one plan per connection, made at its
-- first use, instead of PostgreSQL's fresh plan at each of a statement's first five uses. A station's connection
-- lives for a sync cycle and makes a few pushes, so nearly every statement of every push was planned again, and
-- those inside per-row loops many times a push. The statements read this batch's arrays and look rows up by key,
-- where the generic plan is the one a custom plan would choose.
ALTER FUNCTION sync.push(uuid, integer, jsonb) SET plan_cache_mode = force_generic_plan;

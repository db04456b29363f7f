-- x-rum: give the planner statistics on the copy and set its visibility map (outside a transaction: VACUUM cannot
-- run in one).
VACUUM (ANALYZE) public.ps_x_rum_items;

-- Whether the database may be PlanSight's own demo: its metadata table exists (demo_info_rows.sql then
-- checks that a completed build wrote its row).
SELECT to_regclass('public.plansight_demo_info') IS NOT NULL
